/** Test doubles shared by unit tests: a scripted TenantApi and a DesiredState built in code. */
import type { DesiredState } from "../../desired/tenant-yaml.ts";
import type { TenantApi } from "../../tenant/api.ts";

/** A TenantApi whose every method throws unless the test scripts it (STYLE.md guideline 10). */
export function fakeApi(methods: Partial<TenantApi>): TenantApi {
  return new Proxy(methods as TenantApi, {
    get(target, name: string) {
      if (name in target) return (target as unknown as Record<string, unknown>)[name];
      return () => {
        throw new Error(`not scripted: TenantApi.${name}`);
      };
    },
  });
}

/** A desired state with every section unmanaged, overridden by `part`. */
export function desiredState(part: Partial<DesiredState>): DesiredState {
  return {
    file: "t.yaml",
    mailboxes: [],
    othersPolicy: "unmanaged",
    mfaUsers: [],
    mfaOthers: "unmanaged",
    oauthApps: [],
    locations: new Map(),
    ...part,
  };
}
