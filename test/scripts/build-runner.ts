/**
 * Runs `build()` in a process of its own for build.test.ts: miniprogram-ci leaves a compiler process and file watchers
 * running, which would keep jest from exiting. Usage: tsx build-runner.ts '<BuildOptions as JSON>' <result file>
 */
import fs from 'node:fs'
import { build } from '../../scripts/build'

const [optionsJson, resultFile] = process.argv.slice(2)
const logged: string[] = []
build({ ...(JSON.parse(optionsJson) as object), log: (line) => logged.push(line) }).then(
  (result) => {
    fs.writeFileSync(resultFile, JSON.stringify({ result, logged }))
    process.exit(0)
  },
  (error: unknown) => {
    fs.writeFileSync(
      resultFile,
      JSON.stringify({ error: error instanceof Error ? error.message : String(error), logged }),
    )
    process.exit(1)
  },
)
