#!/usr/bin/env node
import { EXIT_INTERNAL } from './exit-codes.js'
import { main } from './main.js'

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  () => {
    process.exitCode = EXIT_INTERNAL
  },
)
