/**
 * Which causes can block which mechanism, derived from the gates module rather than listed again
 * (architecture review D16): walk the gates with every fact unknown; a gate that reports `skipped`
 * for a mechanism does not apply to it. A gate id equals the doctor's cause id where one exists.
 */
import { evaluateGates, UNKNOWN, type GateFacts, type GateId, type Mechanism } from "../../m365/gates.ts";
import { CAUSE_IDS, type CauseId } from "./causes.ts";

function skippedFor(mechanism: Mechanism): GateId[] {
  const facts: GateFacts = {
    mechanism,
    userId: UNKNOWN,
    mailboxExists: UNKNOWN,
    licensed: UNKNOWN,
    accountEnabled: UNKNOWN,
    passwordCorrect: UNKNOWN,
    accountLocked: UNKNOWN,
    securityDefaultsEnabled: UNKNOWN,
    conditionalAccessPolicies: UNKNOWN,
    perUserMfa: UNKNOWN,
    mfaMethodRegistered: UNKNOWN,
    mailboxSmtpAuthDisabled: UNKNOWN,
    organizationSmtpAuthDisabled: UNKNOWN,
    authenticationPolicy: UNKNOWN,
    basicAuthSmtpRetired: UNKNOWN,
    exchangeServicePrincipalRegistered: UNKNOWN,
    mailboxPermissionGranted: UNKNOWN,
  };
  return evaluateGates(facts)
    .gates.filter((g) => g.status === "skipped")
    .map((g) => g.id);
}

const asCauses = (gates: GateId[]): CauseId[] =>
  gates.filter((g): g is GateId & CauseId => (CAUSE_IDS as readonly string[]).includes(g));

/** Causes whose gate does not apply to an OAuth (XOAUTH2, app-only) login. */
export const BASIC_ONLY_CAUSES: readonly CauseId[] = asCauses(skippedFor("oauth"));

/**
 * Causes whose gate applies to OAuth only. send_as_permission is skipped for Basic in the gates
 * (checked per message instead), so it is not here: a Send As refusal happens with either.
 */
export const OAUTH_ONLY_CAUSES: readonly CauseId[] = asCauses(skippedFor("basic")).filter(
  (c) => c !== "send_as_permission",
);
