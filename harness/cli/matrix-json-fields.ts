/** The fields of each row `matrix --json` prints (`reason` only on failed rows, `error` only on rows that could not run). */
export const MATRIX_JSON_FIELDS = [
  'scenario',
  'db',
  'waitPoint',
  'seed',
  'expected',
  'found',
  'pass',
  'runDir',
  'reason',
  'error',
  'attempts',
  'retried',
] as const
