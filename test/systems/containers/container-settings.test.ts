import { describe, expect, it } from 'vitest'
import { officialImageEnvironment } from '../../../systems/containers/container-hosting.js'
import { START_OPTIONS_FILE, startOptionsFile } from '../../../systems/containers/container-server.js'

describe("what a node's container gets", () => {
  it('a start file in the conf.d folder the official images read, with the port and start options of that start', () => {
    expect(START_OPTIONS_FILE).toMatch(/^\/etc\/mysql\/conf\.d\/.+\.cnf$/)
    const text = startOptionsFile(23456, ['init-rpl-role=SLAVE'])
    expect(text.split('\n')).toEqual(expect.arrayContaining(['[mysqld]', 'port=23456', 'init-rpl-role=SLAVE']))
    expect(startOptionsFile(23457, []).split('\n')).not.toContain('init-rpl-role=SLAVE')
  })

  it("the official images' environment: root with the run's password from 127.0.0.1 only, no time zone load", () => {
    const environment = officialImageEnvironment('s3cret')
    for (const prefix of ['MYSQL', 'MARIADB']) {
      expect(environment).toMatchObject({
        [`${prefix}_ROOT_PASSWORD`]: 's3cret',
        [`${prefix}_ROOT_HOST`]: '127.0.0.1',
        [`${prefix}_INITDB_SKIP_TZINFO`]: '1',
      })
    }
    expect(Object.keys(environment).some((key) => key.includes('ALLOW_EMPTY'))).toBe(false)
  })
})
