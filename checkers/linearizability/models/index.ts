import { HistoryFormatError } from '../../../core/history/history-format-error.js'
import type { Model, ModelName } from '../model.js'
import { KvModel } from './kv.js'
import { RegisterModel } from './register.js'
import { SetModel } from './set.js'

export const MODEL_NAMES: readonly ModelName[] = ['register', 'kv', 'set']

/** A fresh model instance: one per key, since models intern the values they see. */
export function createModel(name: ModelName): Model {
  switch (name) {
    case 'register':
      return new RegisterModel() as Model
    case 'kv':
      return new KvModel() as Model
    case 'set':
      return new SetModel() as Model
    default:
      throw new HistoryFormatError(
        `unknown linearizability model ${JSON.stringify(name)}; expected one of ${MODEL_NAMES.join(', ')}`,
      )
  }
}

export { KvModel, RegisterModel, SetModel }
