/**
 * No key material in the repository: every file git tracks, plus untracked files that are not ignored (what the next
 * commit could pick up), is scanned for
 * - PEM private key blocks (the BEGIN line of any private key type);
 * - base64 text, on one line or over several, that decodes to a DER private key (an RSA key pasted without its PEM
 *   lines, a `\n`-escaped CI secret, an array of 64-character strings);
 * - AWS access key ids and secret access key assignments;
 * - assignments of a literal value to a secret-named variable (`MP_PRIVATE_KEY=…`, `FOO_SECRET: "…"`, `DB_PASSWORD=…`),
 *   but not references (`${{ secrets.MP_PRIVATE_KEY }}`, `$MP_PRIVATE_KEY`, `<the key text>`, an identifier in code).
 * Tests that need a key generate it at run time (test/scripts/helpers.ts `makeKeyPem`), so the repository holds no
 * literal key, fake or real; this file builds its samples the same way, and spells the patterns so that they do not
 * match themselves.
 */
import { execFileSync } from 'node:child_process'
import { createPrivateKey, generateKeyPairSync } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

const ROOT = path.resolve(__dirname, '..', '..')
const MAX_FILE_BYTES = 10 * 1024 * 1024

interface Finding {
  file: string
  line: number
  kind: string
}

const DASHES = '-{5}'
/** The BEGIN line of a PEM private key: `RSA`, `EC`, `DSA`, `OPENSSH`, `ENCRYPTED` or none before PRIVATE KEY. */
const PEM_PRIVATE_KEY = new RegExp(`${DASHES}BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?${DASHES}`, 'g')
/** One line of base64 (or base64url) long enough to hold a key. */
const BASE64_RUN = /[A-Za-z0-9+/_-]{100,}={0,2}/g
/**
 * A line (or a piece between literal `\n` escapes) that is a chunk of base64: maybe after `key: ` or `"key": "`, maybe
 * quoted, maybe followed by `,`, `+` or a `\` continuation. The last chunk of a block may be short.
 */
const BASE64_CHUNK = /^(?:.*[\s:="'`(])?([A-Za-z0-9+/]{40,}={0,2})["'`]?\s*[,+\\)]?\s*$/
const BASE64_TAIL = /^\s*["'`]?([A-Za-z0-9+/]{1,39}={0,2})["'`]?\s*[,+\\)]?\s*$/
const AWS_ACCESS_KEY_ID = new RegExp(
  `\\b(?:${['AK', 'IA'].join('')}|${['AS', 'IA'].join('')})[0-9A-Z]{16}\\b`,
  'g',
)
const AWS_SECRET = /aws_?secret_?access_?key["']?\s*[=:]\s*["']?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])/gi
/** `NAME = value` / `NAME: value` / `"NAME": value` where NAME ends like a secret. */
const SECRET_ASSIGNMENT =
  /["']?\b([A-Za-z0-9_]*(?:PRIVATE_KEY|SECRET|SECRET_KEY|SECRET_ACCESS_KEY|PASSWORD|API_KEY|ACCESS_TOKEN))["']?[ \t]*(=|:)[ \t]*([^\r\n]*)/g
/** In code, an unquoted value is an identifier or an expression, never a literal secret. */
const CODE_FILE = /\.(ts|js|mjs|cjs|tsx|jsx|wxml)$/
const MIN_SECRET_LENGTH = 8

const lineAt = (text: string, index: number) => text.slice(0, index).split('\n').length

/** True when the bytes are a DER private key (PKCS#1, PKCS#8 or SEC1) Node can load. */
function isPrivateKeyDer(bytes: Buffer): boolean {
  if (bytes.length < 64 || bytes[0] !== 0x30) return false
  for (const type of ['pkcs1', 'pkcs8', 'sec1'] as const) {
    try {
      createPrivateKey({ key: bytes, format: 'der', type })
      return true
    } catch {
      // not this encoding
    }
  }
  return false
}

function literalOf(raw: string, inCode: boolean): string | undefined {
  const value = raw.trim().replace(/[;,]+$/, '')
  const quote = value[0]
  if (quote === '"' || quote === "'" || quote === '`') {
    const end = value.indexOf(quote, 1)
    return end > 0 ? value.slice(1, end) : undefined
  }
  return inCode ? undefined : value.split(/\s+#/)[0]?.trim()
}

function isReference(value: string): boolean {
  return /^[$<{%]/.test(value) || value.includes('${') || value.includes('$(')
}

/** Every finding in a text file, with its line number. */
function scanText(file: string, text: string): Finding[] {
  const findings: Finding[] = []
  const add = (index: number, kind: string) => findings.push({ file, line: lineAt(text, index), kind })

  for (const match of text.matchAll(PEM_PRIVATE_KEY)) add(match.index ?? 0, 'PEM private key block')

  for (const match of text.matchAll(BASE64_RUN)) {
    if (isPrivateKeyDer(Buffer.from(match[0], 'base64'))) add(match.index ?? 0, 'base64 DER private key')
  }
  // several lines of base64; literal `\n` escapes count as line breaks, findings name the line they stand on
  const pieces = text
    .split('\n')
    .flatMap((line, index) => line.split('\\n').map((piece) => ({ piece, line: index + 1 })))
  let start = 0
  while (start < pieces.length) {
    let end = start
    let joined = ''
    let chunk: RegExpExecArray | null
    while (end < pieces.length && (chunk = BASE64_CHUNK.exec(pieces[end]?.piece ?? ''))) {
      joined += chunk[1]
      end += 1
    }
    const tail = end > start && end < pieces.length ? BASE64_TAIL.exec(pieces[end]?.piece ?? '') : null
    if (tail) joined += tail[1]
    if (end - start >= 2 && isPrivateKeyDer(Buffer.from(joined, 'base64'))) {
      findings.push({
        file,
        line: pieces[start]?.line ?? 1,
        kind: 'base64 DER private key over several lines',
      })
    }
    start = Math.max(end, start + 1)
  }

  for (const match of text.matchAll(AWS_ACCESS_KEY_ID)) add(match.index ?? 0, 'AWS access key id')
  for (const match of text.matchAll(AWS_SECRET)) add(match.index ?? 0, 'AWS secret access key')

  const inCode = CODE_FILE.test(file)
  for (const match of text.matchAll(SECRET_ASSIGNMENT)) {
    const value = literalOf(match[3] ?? '', inCode)
    if (value !== undefined && value.length >= MIN_SECRET_LENGTH && !isReference(value)) {
      add(match.index ?? 0, `a literal value assigned to ${match[1]}`)
    }
  }
  return findings.sort((a, b) => a.line - b.line)
}

/** A binary file is key material when it is a DER private key as a whole. */
function scanFile(file: string, bytes: Buffer): Finding[] {
  const binary = bytes.subarray(0, 8192).includes(0)
  if (binary) return isPrivateKeyDer(bytes) ? [{ file, line: 1, kind: 'DER private key file' }] : []
  return scanText(file, bytes.toString('utf8'))
}

/** Tracked files and untracked ones git would offer to add (not ignored), relative to the root. */
function repositoryFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  return [...new Set(listed.split('\0').filter(Boolean))].filter((file) => {
    const stat = fs.lstatSync(path.join(ROOT, file), { throwIfNoEntry: false })
    return stat !== undefined && stat.isFile() && stat.size <= MAX_FILE_BYTES
  })
}

// ---- samples, made at run time ------------------------------------------------------------------------------------

const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
const pkcs1Pem = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string
const pkcs8Pem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
const pkcs1Der = rsa.privateKey.export({ type: 'pkcs1', format: 'der' })
const publicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string
const ecPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
  type: 'sec1',
  format: 'pem',
})
const bodyOf = (pem: string) => pem.split('\n').filter((line) => line && !line.startsWith('-----'))
const KEY_NAME = ['MP', 'PRIVATE', 'KEY'].join('_')
const kinds = (findings: Finding[]) => findings.map((finding) => `${finding.line}: ${finding.kind}`)

describe('the scanner finds key material', () => {
  test.each([
    ['an RSA (PKCS#1) PEM block', pkcs1Pem],
    ['a PKCS#8 PEM block', pkcs8Pem],
    ['an EC PEM block', ecPem],
  ])('%s, on the line it starts', (_what, pem) => {
    expect(kinds(scanText('a.ts', `const x = 1\nconst key = \`${pem}\``))).toContain(
      '2: PEM private key block',
    )
  })

  test('a key’s base64 without its PEM lines, on one line', () => {
    const text = `{"note": "pasted",\n"key": "${bodyOf(pkcs8Pem).join('')}"}`
    expect(kinds(scanText('config.json', text))).toEqual(['2: base64 DER private key'])
  })

  test('a key’s base64 over several lines, as quoted chunks joined with +', () => {
    const text = `const k =\n${bodyOf(pkcs1Pem)
      .map((line) => `  '${line}' +`)
      .join('\n')}\n  ''`
    expect(kinds(scanText('k.ts', text))).toEqual(['2: base64 DER private key over several lines'])
  })

  test('a key’s base64 as one line with literal \\n escapes, as a CI secret is often pasted', () => {
    const text = `value: ${bodyOf(pkcs1Pem).join('\\n')}`
    expect(kinds(scanText('notes.md', text))).toContain('1: base64 DER private key over several lines')
  })

  test('a DER key file', () => {
    expect(scanFile('upload.der', pkcs1Der)).toEqual([
      { file: 'upload.der', line: 1, kind: 'DER private key file' },
    ])
  })

  test('an AWS access key id and an AWS secret access key', () => {
    const id = `${'AK'}${'IA'}${'Q'.repeat(16)}`
    const secret = `aws_${'secret'}_access_key = ${'a1B2'.repeat(10)}`
    expect(kinds(scanText('.env', `AWS_KEY_ID=${id}\n${secret}\n`))).toEqual([
      '1: AWS access key id',
      '2: AWS secret access key',
    ])
  })

  test.each([
    ['.env', `${KEY_NAME}=MIIEowIBAAKCAQEAx3abc`],
    ['release.sh', `export ${KEY_NAME}="MIIEowIBAAKCAQEAx3abc"`],
    ['ci.yml', `  ${KEY_NAME}: MIIEowIBAAKCAQEAx3abc`],
    ['settings.json', `{ "${KEY_NAME}": "MIIEowIBAAKCAQEAx3abc" }`],
    ['upload.ts', `const env = { ${KEY_NAME}: 'MIIEowIBAAKCAQEAx3abc' }`],
    ['db.ts', `const DB_${'PASSWORD'} = "correct horse battery"`],
  ])('a literal value assigned to a secret-named variable in %s', (file, text) => {
    expect(scanText(file, text).map((finding) => finding.kind)).toEqual([
      expect.stringMatching(/^a literal value assigned to /),
    ])
  })
})

describe('the scanner leaves alone what is not key material', () => {
  test.each([
    ['a CI secret reference', 'ci.yml', `  ${KEY_NAME}: \${{ secrets.${KEY_NAME} }}`],
    ['a shell variable', 'release.sh', `${KEY_NAME}="$(cat key.pem)"\nexport ${KEY_NAME}=$SECRET_FROM_VAULT`],
    ['a placeholder', 'README.md', `${KEY_NAME}=<the key text>`],
    ['an identifier in code', 'upload.test.ts', `run({ ${KEY_NAME}: keyPem, ${KEY_NAME}_PATH: keyPath })`],
    ['an empty value', 'lib.test.ts', `const env = { ${KEY_NAME}: '' }`],
    ['a short value', '.env', `${KEY_NAME}=x`],
    ['a name that only starts like a secret', 'captcha.ts', 'const SECRET_KEY_LENGTH = 16'],
    ['a path to the key', '.env', `${KEY_NAME}_PATH=/secure/upload.key`],
    ['a public key', 'jwks.ts', `const key = \`${publicPem}\`\nconst body = '${bodyOf(publicPem).join('')}'`],
    ['a pattern that finds PEM blocks', 'secrets.ts', '/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/g'],
    ['a lockfile integrity hash', 'package-lock.json', `"integrity": "sha512-${'Ab9+'.repeat(22)}=="`],
    [
      'an id_token',
      'jwt.test.ts',
      `const jwt = 'eyJ${'hbGciOiJSUzI1NiJ9'.repeat(8)}.eyJzdWIiOiIxIn0.${'sig'.repeat(40)}'`,
    ],
  ])('%s', (_what, file, text) => {
    expect(scanText(file, text)).toEqual([])
  })
})

test('no file git tracks or would add holds key material', () => {
  const files = repositoryFiles()
  expect(files).toEqual(expect.arrayContaining(['package.json', 'test/unit/secrets-scan.test.ts']))
  const findings = files.flatMap((file) => scanFile(file, fs.readFileSync(path.join(ROOT, file))))
  expect(findings.map(({ file, line, kind }) => `${file}:${line} ${kind}`)).toEqual([])
})
