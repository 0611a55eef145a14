/**
 * The behaviors of a page where the user agrees, sends a code and submits it (bind and register): the code sender,
 * its help, the code field, the agreement, the step runner and the support code under every message. One list, so the
 * two pages cannot drift apart; mfa has no agreement and composes its own.
 */
import type { MessageSlots } from '../services/feedback'
import type { Channel } from '../services/eiam'
import { agreement } from './agreement'
import { codeField, type CodeFieldPaths } from './code-field'
import { codeHelp } from './code-help'
import { codeSender } from './code-sender'
import { stepRunner } from './step-runner'
import { supportCodeUnder } from './support-code'

export function codeFormBehaviors(
  sendSlotsOf: (channel: Channel) => MessageSlots,
  codePathsOf: (channel: 'mobile' | 'email') => CodeFieldPaths,
) {
  return [
    codeSender(sendSlotsOf),
    codeHelp,
    codeField(codePathsOf),
    agreement('errors.agree'),
    stepRunner,
    supportCodeUnder(['notice', 'errors.**']),
  ]
}
