/**
 * Switches for the ways the real Exchange Online admin API differs from a strongly consistent, tidy
 * gateway (the fidelity review, ../shared/reviews/fidelity.md). Defaults are what the real service is
 * known to do always; the others reproduce behaviours seen on some tenants or in older builds.
 * Set at start (`SandboxOptions.exchange`) or at run time (PUT /_sandbox/exchange).
 */
import { ReplicaLag } from "../store/lag.ts";

/** How a caller without Exchange.ManageAsApp or without a role for the cmdlet is refused. */
export const ROLE_REFUSALS = ["401", "400-authz", "command-not-found", "403"] as const;
export type RoleRefusal = (typeof ROLE_REFUSALS)[number];

export interface ExchangeBehaviour {
  /**
   * "401" (default): `{"error":{"code":"Unauthorized","message":"User is not allowed to call Get-X"}}`,
   * as the REST gateway answers an app-only caller whose role lacks the cmdlet (office-docs-powershell
   * issue #7970); "400-authz": an AuthZ-CmdletAccessDeniedException "isn't assigned to any management
   * roles" (office-docs-powershell #8927, ScubaGear PR #2331); "command-not-found": the cmdlet is not in
   * the caller's session ("The term 'X' is not recognized"); "403": the sandbox's old answer.
   */
  roleRefusal: RoleRefusal;
  /**
   * Seconds a read replica lags a write: Get-CASMailbox and Get-TransportConfig return the previous
   * value for this long after a Set (ScubaGear measured up to 6+ minutes in GCC). Default 0.
   */
  replicaLagSeconds: number;
  /** How Get-MailboxPermission shows a service-principal trustee: its object id (default) or display name. */
  servicePrincipalTrustee: "objectId" | "displayName";
  /**
   * Error bodies as the JSON envelope with the text in `details` (default), as plain text, as some
   * gateway errors arrive, or `innererror`: the text only in `error.innererror.internalException.message`
   * under a generic "Error executing cmdlet", with an X-ExceptionType header (CIPP's New-ExoRequest and
   * Get-NormalizedError read it there; ExoHelper reads the header).
   */
  errorBodies: "json" | "text" | "innererror";
  /**
   * How Get-CASMailbox rows spell SmtpClientAuthenticationDisabled: as documented (`PascalCase`,
   * default), `camelCase` (shape drift a client must survive), or `missing`: the key left out of every
   * row (never documented as a way of saying $null; a client must not read it as "inherit").
   */
  casSmtpAuthKey: "PascalCase" | "camelCase" | "missing";
  /** Which tenant forms the InvokeCommand URL accepts: id, primary and onmicrosoft domain (default), or the id only. */
  tenantInUrl: "any" | "guid";
}

export function defaultExchangeBehaviour(): ExchangeBehaviour {
  return {
    roleRefusal: "401",
    replicaLagSeconds: 0,
    servicePrincipalTrustee: "objectId",
    errorBodies: "json",
    tenantInUrl: "any",
    casSmtpAuthKey: "PascalCase",
  };
}

const CHOICES: Record<Exclude<keyof ExchangeBehaviour, "replicaLagSeconds">, readonly string[]> = {
  roleRefusal: ROLE_REFUSALS,
  servicePrincipalTrustee: ["objectId", "displayName"],
  errorBodies: ["json", "text", "innererror"],
  casSmtpAuthKey: ["PascalCase", "camelCase", "missing"],
  tenantInUrl: ["any", "guid"],
};

/** Applies a partial change; throws an Error naming the key for an unknown key or a bad value. */
export function updateExchangeBehaviour(b: ExchangeBehaviour, patch: Record<string, unknown>): ExchangeBehaviour {
  for (const [k, v] of Object.entries(patch)) {
    if (k === "replicaLagSeconds") {
      if (typeof v !== "number" || !(v >= 0)) throw new Error("[replicaLagSeconds] must be a number ≥ 0");
      b.replicaLagSeconds = v;
    } else if (k in CHOICES) {
      const allowed = CHOICES[k as keyof typeof CHOICES];
      if (typeof v !== "string" || !allowed.includes(v)) throw new Error(`[${k}] must be one of ${allowed.join(", ")}`);
      (b as unknown as Record<string, string>)[k] = v;
    } else {
      throw new Error(`[${k}] is not an Exchange behaviour switch`);
    }
  }
  return b;
}

/** What Exchange handlers see: the switches and the replica-lag journal; one per running sandbox. */
export class ExchangeRuntime {
  readonly behaviour: ExchangeBehaviour;
  readonly lag: ReplicaLag;
  readonly #initial: Partial<ExchangeBehaviour>;

  /** Throws (naming the key) when `initial` holds an unknown switch or a bad value. */
  constructor(initial: Partial<ExchangeBehaviour> = {}, now: () => number = Date.now) {
    this.#initial = { ...initial };
    this.behaviour = updateExchangeBehaviour(defaultExchangeBehaviour(), this.#initial);
    this.lag = new ReplicaLag(() => this.behaviour.replicaLagSeconds, now);
  }

  /** Back to the switches the sandbox started with; forgets recorded writes. */
  reset(): void {
    Object.assign(this.behaviour, updateExchangeBehaviour(defaultExchangeBehaviour(), this.#initial));
    this.lag.clear();
  }
}
