export { checkLinearizable } from './check-linearizable.js'
export { LinearizabilityChecker } from './linearizability-checker.js'
export { HistoryFormatError } from '../../core/history/history-format-error.js'
export { createModel, KvModel, RegisterModel, SetModel, MODEL_NAMES } from './models/index.js'
export type { Model, ModelName, ModelOp, StepResult } from './model.js'
export type {
  KeyFailure,
  KeyUnknown,
  LinearizabilityOptions,
  LinearizabilityResult,
  LinearizabilityStats,
  OpRef,
  PrefixStep,
  StuckOp,
} from './types.js'
