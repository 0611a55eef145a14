/** Screenshots in English: see shots-scenes.ts (not part of `npm test`). */
import { renderScenes } from './shots-scenes'

renderScenes('en')
