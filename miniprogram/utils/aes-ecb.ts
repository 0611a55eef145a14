/**
 * AES (FIPS-197) encryption in ECB mode with PKCS#7 padding, output base64: what AJ-Captcha style tenants expect for
 * `point_json` when the puzzle comes with a `secretKey`. The mini program has no WebCrypto, so this is done by hand.
 * Encryption only; keys of 16, 24 or 32 bytes (the key text's UTF-8 bytes).
 */
import { bytesToBase64, utf8Encode } from './base64'

const BLOCK = 16

/** Multiply by x in GF(2^8) modulo the AES polynomial. */
const xtime = (value: number) => ((value << 1) ^ (value & 0x80 ? 0x1b : 0)) & 0xff
const rotl8 = (value: number, shift: number) => ((value << shift) | (value >> (8 - shift))) & 0xff

let sbox: Uint8Array | undefined

/** The S-box from its definition: multiplicative inverse in GF(2^8), then the affine map with constant 0x63. */
function substitutionBox(): Uint8Array {
  if (sbox) return sbox
  const power = new Uint8Array(256)
  const logarithm = new Uint8Array(256)
  let value = 1
  for (let exponent = 0; exponent < 255; exponent += 1) {
    power[exponent] = value
    logarithm[value] = exponent
    value ^= xtime(value) // multiply by the generator 3
  }
  const table = new Uint8Array(256)
  for (let byte = 0; byte < 256; byte += 1) {
    const inverse = byte === 0 ? 0 : power[(255 - logarithm[byte]) % 255]
    table[byte] =
      inverse ^ rotl8(inverse, 1) ^ rotl8(inverse, 2) ^ rotl8(inverse, 3) ^ rotl8(inverse, 4) ^ 0x63
  }
  sbox = table
  return table
}

function expandKey(key: Uint8Array): Uint8Array {
  const box = substitutionBox()
  const keyWords = key.length / 4
  const rounds = keyWords + 6
  const schedule = new Uint8Array(16 * (rounds + 1))
  schedule.set(key)
  let roundConstant = 1
  for (let word = keyWords; word < 4 * (rounds + 1); word += 1) {
    const previous = schedule.slice((word - 1) * 4, word * 4)
    if (word % keyWords === 0) {
      const first = previous[0]
      previous[0] = box[previous[1]] ^ roundConstant
      previous[1] = box[previous[2]]
      previous[2] = box[previous[3]]
      previous[3] = box[first]
      roundConstant = xtime(roundConstant)
    } else if (keyWords > 6 && word % keyWords === 4) {
      for (let index = 0; index < 4; index += 1) previous[index] = box[previous[index]]
    }
    for (let index = 0; index < 4; index += 1) {
      schedule[word * 4 + index] = schedule[(word - keyWords) * 4 + index] ^ previous[index]
    }
  }
  return schedule
}

function encryptBlock(state: Uint8Array, schedule: Uint8Array, rounds: number): void {
  const box = substitutionBox()
  const addRoundKey = (round: number) => {
    for (let index = 0; index < BLOCK; index += 1) state[index] ^= schedule[round * BLOCK + index]
  }
  const substituteAndShift = () => {
    const copy = state.slice()
    // byte (row r, column c) sits at r + 4c; row r rotates left by r columns
    for (let row = 0; row < 4; row += 1) {
      for (let column = 0; column < 4; column += 1) {
        state[row + 4 * column] = box[copy[row + 4 * ((column + row) % 4)]]
      }
    }
  }
  addRoundKey(0)
  for (let round = 1; round <= rounds; round += 1) {
    substituteAndShift()
    if (round < rounds) {
      for (let column = 0; column < 4; column += 1) {
        const offset = 4 * column
        const [a0, a1, a2, a3] = [state[offset], state[offset + 1], state[offset + 2], state[offset + 3]]
        const all = a0 ^ a1 ^ a2 ^ a3
        state[offset] = a0 ^ all ^ xtime(a0 ^ a1)
        state[offset + 1] = a1 ^ all ^ xtime(a1 ^ a2)
        state[offset + 2] = a2 ^ all ^ xtime(a2 ^ a3)
        state[offset + 3] = a3 ^ all ^ xtime(a3 ^ a0)
      }
    }
    addRoundKey(round)
  }
}

export function aesEcbEncryptBase64(plainText: string, keyText: string): string {
  const key = utf8Encode(keyText)
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) {
    throw new Error('AES key must be 16, 24 or 32 bytes')
  }
  const schedule = expandKey(key)
  const rounds = key.length / 4 + 6
  const data = utf8Encode(plainText)
  const padding = BLOCK - (data.length % BLOCK)
  const padded = new Uint8Array(data.length + padding)
  padded.set(data)
  padded.fill(padding, data.length)
  for (let offset = 0; offset < padded.length; offset += BLOCK) {
    const block = padded.subarray(offset, offset + BLOCK)
    encryptBlock(block, schedule, rounds)
  }
  return bytesToBase64(padded)
}
