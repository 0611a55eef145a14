/**
 * The shipped JavaScript is not run through an ES5 pass, so nothing newer than ES2019 syntax may reach it: the
 * JavaScriptCore of iOS 12, the oldest system current WeChat supports, cannot parse `?.`, `??` or class fields.
 * ESLint keeps the source there; this checks what the compiler actually produced.
 */
import { parse } from 'acorn'

export const SHIPPED_ECMA_VERSION = 2019

export interface SyntaxProblem {
  file: string
  message: string
}

export function checkSyntaxLevel(files: Record<string, string | Buffer>): SyntaxProblem[] {
  const problems: SyntaxProblem[] = []
  for (const [file, content] of Object.entries(files)) {
    if (!file.endsWith('.js')) continue
    try {
      parse(String(content), {
        ecmaVersion: SHIPPED_ECMA_VERSION,
        sourceType: 'script',
        allowReturnOutsideFunction: true,
      })
    } catch (error) {
      problems.push({ file, message: error instanceof Error ? error.message : String(error) })
    }
  }
  return problems
}
