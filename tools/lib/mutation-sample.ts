/**
 * A random sample of mutants, for `npm run mutation -- --sample N`: on two cores a full run of the app's part takes
 * hours (each mutant reloads the services ↔ sandbox tests), while a few hundred mutants drawn at random give the score
 * within a few points. The draw is seeded, so the same seed and code give the same mutants; the score of a sample
 * comes with its 95% interval (Wilson).
 */

/** A mutant as StrykerJS's instrumenter lists it: lines 1-based, columns 0-based, the end exclusive. */
export interface ListedMutant {
  fileName: string
  mutatorName: string
  replacement?: string
  location: { start: { line: number; column: number }; end: { line: number; column: number } }
}

/** Matches a path against the globs of a part: `**`, `*`, `{a,b}`, and `!` to leave a path out. */
export function matchesPart(path: string, patterns: readonly string[]): boolean {
  const toRegExp = (glob: string) =>
    new RegExp(
      `^${glob
        .replace(/[.+^$()|[\]\\]/g, '\\$&')
        .replace(/\{([^}]*)\}/g, (_, list: string) => `(?:${list.split(',').join('|')})`)
        .replace(/\*\*\//g, '%GLOBSTAR%')
        .replace(/\*/g, '[^/]*')
        .replace(/%GLOBSTAR%/g, '(?:.*/)?')}$`,
    )
  const included = patterns.filter((glob) => !glob.startsWith('!')).some((glob) => toRegExp(glob).test(path))
  const excluded = patterns
    .filter((glob) => glob.startsWith('!'))
    .some((glob) => toRegExp(glob.slice(1)).test(path))
  return included && !excluded
}

/** `n` of `items`, drawn without replacement by a seeded generator (mulberry32), in the order drawn. */
export function seededSample<T>(items: readonly T[], n: number, seed: number): T[] {
  let state = seed >>> 0
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state)
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296
  }
  const pool = [...items]
  const count = Math.min(n, pool.length)
  for (let index = 0; index < count; index += 1) {
    const pick = index + Math.floor(random() * (pool.length - index))
    ;[pool[index], pool[pick]] = [pool[pick], pool[index]]
  }
  return pool.slice(0, count)
}

/** The `--mutate` range of StrykerJS that holds this mutant: `file:line:column-line:column`. */
export const rangeOf = ({ fileName, location: { start, end } }: ListedMutant): string =>
  `${fileName}:${start.line}:${start.column}-${end.line}:${end.column}`

/**
 * What names a mutant in both the instrumenter's list and the JSON report (whose columns are 1-based): a range holds
 * the mutants nested in it too, and the score counts only the drawn ones.
 */
export const sampleKey = (file: string, line: number, column1: number, mutator: string, replacement = '') =>
  `${file}:${line}:${column1} ${mutator} ${replacement}`

export const keyOfListed = (mutant: ListedMutant): string =>
  sampleKey(
    mutant.fileName,
    mutant.location.start.line,
    mutant.location.start.column + 1,
    mutant.mutatorName,
    mutant.replacement,
  )

/** The 95% Wilson interval of a proportion `detected / valid`, in percent with one decimal. */
export function wilsonInterval(detected: number, valid: number): [number, number] | undefined {
  if (valid === 0) return undefined
  const z = 1.96
  const share = detected / valid
  const centre = share + (z * z) / (2 * valid)
  const spread = z * Math.sqrt((share * (1 - share)) / valid + (z * z) / (4 * valid * valid))
  const scale = 1 + (z * z) / valid
  const round = (value: number) => Math.round(value * 1000) / 10
  return [round((centre - spread) / scale), round((centre + spread) / scale)]
}
