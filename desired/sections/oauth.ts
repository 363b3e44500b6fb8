/**
 * Issue 8's sections of tenant.yaml: `oauth.apps` (existing or created app registrations that send
 * with XOAUTH2, and their credentials) and `conditionalAccessBaseline`.
 */
import {
  CONDITIONAL_ACCESS_STATES,
  type ConditionalAccessBaselineDeclaration,
  type ConditionalAccessBaselineState,
  type CreatedOAuthApp,
  type ExistingOAuthApp,
  type OAuthAppDeclaration,
  type OAuthCredential,
} from "../types.ts";
import { describe, isMapping, show } from "../values.ts";
import { APP_NAME, CA_BASELINE_KEYS, CREDENTIAL_KEYS, CREDENTIAL_TYPES, OAUTH_APP_KEYS, OAUTH_KEYS } from "../keys.ts";
import { keyInPath, keySecretAdvice, type Entry, type YamlWalker } from "../walker.ts";
import { readCertificateFile } from "./certificate.ts";

export function oauthSection(w: YamlWalker, e: Entry): OAuthAppDeclaration[] {
  const m = w.mapping(e.value, e.path, OAUTH_KEYS, e.keyNode);
  const apps = m?.get("apps");
  if (!m) return [];
  if (!apps) {
    w.issueAtNode(e.keyNode, `${e.path}.apps`, "missing; declare the apps under oauth.apps, or remove oauth");
    return [];
  }
  if (w.refuseAlias(apps.value, apps.path)) return [];
  if (!isMapping(apps.value)) {
    w.issueAtValue(
      apps.value,
      apps.keyNode,
      apps.path,
      `must be a mapping of app names to { mailbox, appId, servicePrincipalObjectId } or { mailbox, create: true, credential }, not ${describe(apps.value)}; write {} for none`,
    );
    return [];
  }
  // `apps: {}` is "no apps yet", like `mailboxes: {}` and `users: {}`: a map of named entries may be
  // empty, a section may not (docs/tenant-yaml.md, "Empty sections and empty maps").
  const out: OAuthAppDeclaration[] = [];
  // Lower-cased names of the apps accepted so far: a set, not a scan of `out` per app (fuzzer D5).
  const names = new Set<string>();
  const byAppId = new Map<string, Entry>();
  for (const pair of apps.value.items) {
    const name = w.keyName(pair.key, pair.value, apps.path);
    if (name === undefined) continue;
    const entry: Entry = { key: name, path: `${apps.path}.${name}`, keyNode: pair.key, value: pair.value };
    if (!APP_NAME.test(name)) {
      w.issueAtNode(
        pair.key,
        `${apps.path}.${keyInPath(name)}`,
        `${keyInPath(name) === name ? show(name) : "it"} is not a valid app name; use letters, digits and dashes (at most 40)${keySecretAdvice(name)}`,
      );
      continue;
    }
    if (names.has(name.toLowerCase()) || w.locations.has(entry.path)) {
      w.issueAtNode(pair.key, entry.path, "duplicate app name");
      continue;
    }
    w.locations.set(entry.path, w.pos(pair.key));
    const app = oauthAppSection(w, entry);
    if (!app) continue;
    if (app.kind === "existing") {
      const first = byAppId.get(app.appId);
      if (first) {
        w.issueAtNode(
          entry.keyNode,
          `${entry.path}.appId`,
          `app ${app.appId} is already declared as ${first.key} (line ${w.pos(first.keyNode).line}); one app, one mailbox`,
        );
        continue;
      }
      byAppId.set(app.appId, entry);
    }
    names.add(name.toLowerCase());
    out.push(app);
  }
  return out;
}

export function oauthAppSection(w: YamlWalker, e: Entry): OAuthAppDeclaration | undefined {
  const m = w.mapping(e.value, e.path, OAUTH_APP_KEYS, e.keyNode);
  if (!m) return undefined;
  let ok = true;
  const mailboxEntry = m.get("mailbox");
  let mailbox: string | undefined;
  if (mailboxEntry) mailbox = w.address(mailboxEntry);
  else w.issueAtNode(e.keyNode, `${e.path}.mailbox`, "missing; the mailbox the app sends as (a mail address)");
  if (mailbox === undefined) ok = false;
  let displayName: string | undefined;
  const dn = m.get("displayName");
  if (dn) {
    displayName = w.string(dn);
    if (displayName === undefined) ok = false;
  }
  const createEntry = m.get("create");
  const create = createEntry ? w.bool(createEntry) : false;
  if (create === undefined) return undefined;
  const appIdEntry = m.get("appId");
  const spEntry = m.get("servicePrincipalObjectId");
  const credentialEntry = m.get("credential");

  if (create) {
    for (const extra of [appIdEntry, spEntry]) {
      if (extra) {
        w.issueAtNode(
          extra.keyNode,
          extra.path,
          "create: true declares a new app registration; remove appId and servicePrincipalObjectId, or remove create to use an existing app",
        );
        ok = false;
      }
    }
    if (!credentialEntry) {
      w.issueAtNode(
        e.keyNode,
        `${e.path}.credential`,
        "a created app needs a credential: { type: password } or { type: certificate, file: <public certificate .pem> }",
      );
      return undefined;
    }
    const credential = oauthCredential(w, credentialEntry);
    if (!credential || !ok || mailbox === undefined) return undefined;
    const app: CreatedOAuthApp = { kind: "create", name: e.key, mailbox, credential };
    if (displayName !== undefined) app.displayName = displayName;
    return app;
  }

  if (credentialEntry) {
    w.issueAtNode(
      credentialEntry.keyNode,
      credentialEntry.path,
      "a credential is declared only with create: true; an existing app keeps the credentials it has",
    );
    ok = false;
  }
  if (!appIdEntry && !spEntry) {
    w.issueAtNode(
      e.keyNode,
      e.path,
      "declare an existing app with appId and servicePrincipalObjectId, or a new one with create: true",
    );
    return undefined;
  }
  const appId = appIdEntry ? w.guid(appIdEntry, "the application (client) id") : undefined;
  if (!appIdEntry) {
    w.issueAtNode(e.keyNode, `${e.path}.appId`, "missing; the application (client) id of the app registration");
  }
  const sp = spEntry ? w.guid(spEntry, "the enterprise application's object id") : undefined;
  if (!spEntry) {
    w.issueAtNode(
      e.keyNode,
      `${e.path}.servicePrincipalObjectId`,
      "missing; the object id of the app's enterprise application (service principal), which New-ServicePrincipal needs",
    );
  }
  if (appId !== undefined && sp !== undefined && appId === sp && spEntry) {
    w.issueAtValue(
      spEntry.value,
      spEntry.keyNode,
      spEntry.path,
      "is the app id; give the enterprise application's object id (Entra ID > Enterprise applications > Object ID)",
    );
    return undefined;
  }
  if (!ok || mailbox === undefined || appId === undefined || sp === undefined) return undefined;
  const app: ExistingOAuthApp = { kind: "existing", name: e.key, mailbox, appId, servicePrincipalObjectId: sp };
  if (displayName !== undefined) app.displayName = displayName;
  return app;
}

export function oauthCredential(w: YamlWalker, e: Entry): OAuthCredential | undefined {
  const m = w.mapping(e.value, e.path, CREDENTIAL_KEYS, e.keyNode);
  if (!m) return undefined;
  const typeEntry = m.get("type");
  if (!typeEntry) {
    w.issueAtNode(e.keyNode, `${e.path}.type`, `missing type; allowed: ${CREDENTIAL_TYPES.join(", ")}`);
    return undefined;
  }
  const type = w.oneOf(typeEntry, CREDENTIAL_TYPES, "type");
  const out: { expires?: string } = {};
  const extrasOk = w.exceptionExtras(m, out);
  const fileEntry = m.get("file");
  if (type === "password") {
    if (fileEntry) {
      w.issueAtNode(fileEntry.keyNode, fileEntry.path, "a file is only for type: certificate");
      return undefined;
    }
    return extrasOk ? { type, ...out } : undefined;
  }
  if (type !== "certificate") return undefined;
  if (!fileEntry) {
    w.issueAtNode(
      e.keyNode,
      `${e.path}.file`,
      "missing; the public certificate (.pem) the device signs with, relative to this file",
    );
    return undefined;
  }
  const file = w.string(fileEntry);
  if (file === undefined) return undefined;
  const read = readCertificateFile(w.file, file);
  if ("problem" in read) {
    w.issueAtValue(fileEntry.value, fileEntry.keyNode, fileEntry.path, read.problem);
    return undefined;
  }
  return extrasOk ? { type, file, pem: read.pem, ...out } : undefined;
}

export function conditionalAccessBaselineSection(
  w: YamlWalker,
  e: Entry,
): ConditionalAccessBaselineDeclaration | undefined {
  const m = w.mapping(e.value, e.path, CA_BASELINE_KEYS, e.keyNode);
  if (!m) return undefined;
  const stateEntry = m.get("state");
  let state: ConditionalAccessBaselineState | undefined;
  if (stateEntry) state = w.oneOf(stateEntry, CONDITIONAL_ACCESS_STATES, "state");
  else {
    w.issueAtNode(
      e.keyNode,
      `${e.path}.state`,
      `missing state; allowed: ${CONDITIONAL_ACCESS_STATES.join(", ")} (start with reportOnly)`,
    );
  }
  const sa = m.get("serviceAccounts");
  const serviceAccounts = sa ? w.addressList(sa) : [];
  const bg = m.get("breakGlass");
  let breakGlass: string[] | undefined;
  if (bg) {
    breakGlass = w.addressList(bg);
    if (breakGlass?.length === 0) {
      w.issueAtValue(bg.value, bg.keyNode, bg.path, "must list at least one emergency-access account");
      breakGlass = undefined;
    }
  } else {
    w.issueAtNode(
      e.keyNode,
      `${e.path}.breakGlass`,
      "missing; list at least one emergency-access account, excluded from every policy so a mistake cannot lock every admin out",
    );
  }
  if (!state || !serviceAccounts || !breakGlass) return undefined;
  return { state, serviceAccounts, breakGlass };
}
