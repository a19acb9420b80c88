import { ApiError } from './api-errors.js'

/**
 * Go's http.Server limit on a request's line and headers: DefaultMaxHeaderBytes (1 MiB) plus the 4096 bytes of read
 * slack it allows. Node's default is 16 KiB, which a long name in the path alone can pass (431, so it could not be
 * read or deleted).
 */
export const MAX_HEADER_BYTES = 1024 * 1024 + 4096

/**
 * The longest proxy or toxic name, in UTF-8 bytes. A name has to fit in a request path to be read, updated or deleted;
 * at this cap `/proxies/{proxy}/toxics/{toxic}` with every byte of both names percent-encoded is 384 KiB, well within
 * MAX_HEADER_BYTES. Toxiproxy has no cap, and so accepts names it then cannot serve beyond about 1 MiB.
 */
export const MAX_NAME_BYTES = 64 * 1024

const ERR_NAME_TOO_LONG = new ApiError(`name too long: more than ${MAX_NAME_BYTES} bytes`, 400)

/** Refuses a name that is over the cap; `where` is populate's ` at proxy N`. Checked after Toxiproxy's own checks. */
export function checkNameLength(name: string, where = ''): void {
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) {
    throw new ApiError(`${ERR_NAME_TOO_LONG.message}${where}`, ERR_NAME_TOO_LONG.status)
  }
}
