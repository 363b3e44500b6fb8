/**
 * The sandbox's SMTP endpoint, driven by a real SMTP client (nodemailer) and a raw socket/TLS
 * client, against tenant states built from sandbox/model.ts directly. Certificate checks stay on:
 * both clients trust only the test CA.
 */
import net from "node:net";
import tls from "node:tls";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { GateId } from "../../m365/gates.ts";
import { SmtpReplies, type SmtpReply } from "../../m365/smtp-replies.ts";
import type { TenantState, TenantUser } from "../../sandbox/model.ts";
import { MAILBOX_HOST, SUFFIX_HOST } from "../../sandbox/smtp/connection.ts";
import {
  APP_ID,
  OTHER,
  PASSWORD,
  SCANNER,
  SP_OBJECT_ID,
  TENANT_ID,
  healthyTenant,
  tenantWith,
} from "../../sandbox/smtp/fixture.ts";
import {
  startSmtpServer,
  type AcceptedMessage,
  type BearerClaims,
  type SmtpServerHandle,
} from "../../sandbox/smtp/server.ts";
import { createPki } from "../../sandbox/tls.ts";

const NOW = new Date("2026-01-27T10:00:00.000Z");
const SUFFIX = String.raw`\[${SUFFIX_HOST.replace(/\./g, "\\.")} 2026-01-27T10:00:00\.000Z 08DE[0-9A-F]{12}\]`;
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** The exact wire line of a catalogue reply followed by this server's suffix. */
const line = (r: SmtpReply) => new RegExp(`^${r.code} ${esc(r.enhanced)} ${esc(r.text)} ${SUFFIX}$`);

const TOKENS: Record<string, BearerClaims> = {
  good: { appId: APP_ID, tenantId: TENANT_ID, audience: "https://outlook.office365.com", roles: ["SMTP.SendAsApp"] },
  "good-guid-aud": {
    appId: APP_ID,
    tenantId: TENANT_ID,
    audience: "00000002-0000-0ff1-ce00-000000000000",
    roles: ["SMTP.SendAsApp"],
  },
  "no-role": { appId: APP_ID, tenantId: TENANT_ID, audience: "https://outlook.office365.com", roles: [] },
  "graph-aud": {
    appId: APP_ID,
    tenantId: TENANT_ID,
    audience: "https://graph.microsoft.com",
    roles: ["SMTP.SendAsApp"],
  },
  "other-tenant": {
    appId: APP_ID,
    tenantId: "99999999-0000-0000-0000-000000000000",
    audience: "https://outlook.office365.com",
    roles: ["SMTP.SendAsApp"],
  },
  "unregistered-app": {
    appId: "dddddddd-0000-0000-0000-000000000000",
    tenantId: TENANT_ID,
    audience: "https://outlook.office365.com",
    roles: ["SMTP.SendAsApp"],
  },
};

const pki = createPki();
let tenant: TenantState = healthyTenant();
let smtp: SmtpServerHandle;
const seen: AcceptedMessage[] = [];

beforeAll(async () => {
  smtp = await startSmtpServer({
    port: 0,
    tls: { key: pki.keyPem, cert: pki.certPem },
    getTenant: () => tenant,
    verifyBearerToken: (t) => TOKENS[t] ?? null,
    onMessage: (m) => seen.push(m),
    now: () => NOW,
  });
});
afterAll(async () => {
  await smtp.close();
});
beforeEach(() => {
  tenant = healthyTenant();
});

function transport(auth: { user: string; pass: string } | { type: "OAuth2"; user: string; accessToken: string }) {
  return nodemailer.createTransport({
    host: "127.0.0.1",
    port: smtp.port,
    secure: false,
    requireTLS: true,
    tls: { ca: pki.caPem },
    auth,
  });
}

const send = (t: ReturnType<typeof transport>, from = SCANNER) =>
  t.sendMail({ from, to: "someone@fabrikam.com", subject: "Scan", text: "page 1", messageId: "<scan-1@contoso.com>" });

type Failure = { responseCode?: number; response?: string; code?: string };
async function failure(p: Promise<unknown>): Promise<Failure> {
  try {
    await p;
  } catch (err) {
    return err as Failure;
  }
  throw new Error("expected the send to fail");
}

type Break = (t: TenantState, u: TenantUser) => void;

describe("SMTP outcome matrix, basic (AUTH LOGIN through nodemailer)", () => {
  it("a healthy mailbox sends; the message is recorded and handed over", async () => {
    seen.length = 0;
    const info = await send(transport({ user: SCANNER, pass: PASSWORD }));
    expect(info.response).toBe(`250 2.0.0 OK <scan-1@contoso.com> [Hostname=${MAILBOX_HOST}]`);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      from: SCANNER,
      to: ["someone@fabrikam.com"],
      authUser: SCANNER,
      mechanism: "LOGIN",
    });
    expect(seen[0]?.raw).toContain("Subject: Scan");
    expect(smtp.messages.at(-1)).toEqual(seen[0]);
  });

  it.each<[GateId, Break, SmtpReply]>([
    ["mailbox_unlicensed_or_missing", (_t, u) => void (u.hasMailbox = false), SmtpReplies.authenticationUnsuccessful],
    ["account_disabled", (_t, u) => void (u.accountEnabled = false), SmtpReplies.accountHasAnIssue],
    ["wrong_credentials", (_t, u) => void (u.smtpPassword = "not-this"), SmtpReplies.credentialsIncorrect],
    ["account_locked", (_t, u) => void (u.locked = true), SmtpReplies.accountLocked],
    ["security_defaults_enabled", (t) => void (t.securityDefaultsEnabled = true), SmtpReplies.securityDefaults],
    [
      "conditional_access_block",
      (t) =>
        t.conditionalAccessPolicies.push({
          id: "ca1",
          displayName: "Block legacy authentication",
          state: "enabled",
          clientAppTypes: ["exchangeActiveSync", "other"],
          includeUsers: ["All"],
          excludeUsers: [],
          builtInControls: ["block"],
        }),
      SmtpReplies.criteriaNotMet,
    ],
    [
      "per_user_mfa",
      (_t, u) => ((u.perUserMfa = "enabled"), (u.mfaMethodRegistered = true)),
      SmtpReplies.criteriaNotMet,
    ],
    [
      "smtp_auth_disabled_mailbox",
      (_t, u) => void (u.smtpClientAuthenticationDisabled = true),
      SmtpReplies.smtpAuthDisabledMailbox,
    ],
    [
      "smtp_auth_disabled_tenant",
      (_t, u) => void (u.smtpClientAuthenticationDisabled = null),
      SmtpReplies.smtpAuthDisabledTenant,
    ],
    [
      "authentication_policy_blocks_basic_smtp",
      (t) => void (t.defaultAuthenticationPolicy = "Block Basic SMTP"),
      SmtpReplies.basicAuthDisabled,
    ],
    ["basic_auth_disabled_or_retired", (t) => void (t.basicAuthSmtpRetired = true), SmtpReplies.basicAuthRetired],
  ])("%s", async (_gate, breakIt, reply) => {
    tenant = tenantWith(breakIt);
    const err = await failure(send(transport({ user: SCANNER, pass: PASSWORD })));
    expect(err.code).toBe("EAUTH");
    expect(err.responseCode).toBe(reply.code);
    expect(err.response).toMatch(line(reply));
  });

  it("send_as_permission: another mailbox as sender is refused after DATA with 554 5.2.0 SendAsDenied", async () => {
    seen.length = 0;
    const err = await failure(send(transport({ user: SCANNER, pass: PASSWORD }), OTHER));
    const r = SmtpReplies.sendAsDenied;
    expect(err.responseCode).toBe(554);
    expect(err.response).toBe(`554 5.2.0 ${r.text} [Hostname=${MAILBOX_HOST}]`);
    expect(seen).toHaveLength(0);
  });

  it("send_as_permission: SendAs on the other mailbox lets it through", async () => {
    tenant = tenantWith((t) => t.mailboxPermissions.push({ mailbox: OTHER, user: SCANNER, accessRights: ["SendAs"] }));
    await expect(send(transport({ user: SCANNER, pass: PASSWORD }), OTHER)).resolves.toMatchObject({
      accepted: ["someone@fabrikam.com"],
    });
  });

  it("reads the tenant on every AUTH: fixing the setting fixes the next session", async () => {
    tenant = tenantWith((_t, u) => void (u.smtpClientAuthenticationDisabled = true));
    await failure(send(transport({ user: SCANNER, pass: PASSWORD })));
    tenant = healthyTenant();
    await expect(send(transport({ user: SCANNER, pass: PASSWORD }))).resolves.toBeTruthy();
  });
});

describe("SMTP outcome matrix, OAuth (XOAUTH2 through nodemailer)", () => {
  const oauth = (accessToken: string, user = SCANNER) => transport({ type: "OAuth2", user, accessToken });

  it.each(["good", "good-guid-aud"])("token %s sends; security defaults and MFA do not matter", async (token) => {
    tenant = tenantWith(
      (t, u) => ((t.securityDefaultsEnabled = true), (u.perUserMfa = "enforced"), (t.basicAuthSmtpRetired = true)),
    );
    seen.length = 0;
    await send(oauth(token));
    expect(seen[0]).toMatchObject({ authUser: SCANNER, mechanism: "XOAUTH2" });
  });

  it.each<[string, string, Break, SmtpReply]>([
    ["token not issued by the sandbox", "forged", () => {}, SmtpReplies.authenticationUnsuccessful],
    ["token without SMTP.SendAsApp", "no-role", () => {}, SmtpReplies.authenticationUnsuccessful],
    ["token for Graph", "graph-aud", () => {}, SmtpReplies.authenticationUnsuccessful],
    ["token from another tenant", "other-tenant", () => {}, SmtpReplies.authenticationUnsuccessful],
    [
      "oauth_misconfigured_app_or_sp: app not registered in Exchange",
      "unregistered-app",
      () => {},
      SmtpReplies.authenticationUnsuccessful,
    ],
    [
      "oauth_misconfigured_app_or_sp: service principal removed",
      "good",
      (t) => void (t.exchangeServicePrincipals = []),
      SmtpReplies.authenticationUnsuccessful,
    ],
    [
      "send_as_permission: no mailbox permission",
      "good",
      (t) => void (t.mailboxPermissions = []),
      SmtpReplies.authenticationUnsuccessful,
    ],
    [
      "mailbox_unlicensed_or_missing",
      "good",
      (_t, u) => void (u.hasMailbox = false),
      SmtpReplies.authenticationUnsuccessful,
    ],
    [
      "smtp_auth_disabled_mailbox",
      "good",
      (_t, u) => void (u.smtpClientAuthenticationDisabled = true),
      SmtpReplies.smtpAuthDisabledMailbox,
    ],
    [
      "smtp_auth_disabled_tenant",
      "good",
      (_t, u) => void (u.smtpClientAuthenticationDisabled = null),
      SmtpReplies.smtpAuthDisabledTenant,
    ],
  ])("%s", async (_name, token, breakIt, reply) => {
    tenant = tenantWith(breakIt);
    const err = await failure(send(oauth(token)));
    expect(err.code).toBe("EAUTH");
    expect(err.responseCode).toBe(reply.code);
    expect(err.response).toMatch(line(reply));
  });

  it("another mailbox as sender without SendAs for the app: 554 5.2.0", async () => {
    tenant = tenantWith((t) =>
      t.mailboxPermissions.push({ mailbox: OTHER, user: SP_OBJECT_ID, accessRights: ["FullAccess"] }),
    );
    expect((await failure(send(oauth("good"), OTHER))).responseCode).toBe(554);
  });
});

// ---------------------------------------------------------------------------------------------
// Raw client: the protocol details a library would hide
// ---------------------------------------------------------------------------------------------

/** A line-based SMTP client over a socket that can be upgraded with STARTTLS. */
class RawSmtp {
  private buf = "";
  private waiters: Array<() => void> = [];
  closed = false;
  private sock: net.Socket | tls.TLSSocket;
  private constructor(sock: net.Socket | tls.TLSSocket) {
    this.sock = sock;
    this.attach(sock);
  }
  static async open(port: number): Promise<RawSmtp> {
    const s = net.connect(port, "127.0.0.1");
    await new Promise<void>((r, j) => s.once("connect", r).once("error", j));
    return new RawSmtp(s);
  }
  private attach(s: net.Socket | tls.TLSSocket) {
    s.setEncoding("utf8");
    s.on("data", (d: string) => {
      this.buf += d;
      this.wake();
    });
    s.on("close", () => {
      this.closed = true;
      this.wake();
    });
    s.on("error", () => {});
  }
  private wake() {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }
  /** Reads one complete (possibly multi-line) reply. */
  async read(): Promise<string> {
    for (;;) {
      const m = /^(?:\d{3}-[^\r\n]*\r\n)*\d{3}(?: [^\r\n]*)?\r\n/.exec(this.buf);
      if (m) {
        this.buf = this.buf.slice(m[0].length);
        return m[0].trimEnd();
      }
      if (this.closed) throw new Error(`connection closed; pending: ${JSON.stringify(this.buf)}`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }
  async cmd(line: string): Promise<string> {
    this.sock.write(`${line}\r\n`);
    return this.read();
  }
  async starttls(options: tls.ConnectionOptions = {}): Promise<tls.TLSSocket> {
    const ready = await this.cmd("STARTTLS");
    if (ready !== "220 2.0.0 SMTP server ready") throw new Error(`STARTTLS refused: ${ready}`);
    this.sock.removeAllListeners("data");
    this.sock.removeAllListeners("close");
    const secure = tls.connect({ socket: this.sock, ca: pki.caPem, servername: "localhost", ...options });
    await new Promise<void>((r, j) => secure.once("secureConnect", r).once("error", j));
    this.sock = secure;
    this.attach(secure);
    return secure;
  }
  end() {
    this.sock.destroy();
  }
}

const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("SMTP conversation details (raw socket)", () => {
  it("greets, offers STARTTLS and no AUTH before TLS, and AUTH LOGIN XOAUTH2 after it", async () => {
    const c = await RawSmtp.open(smtp.port);
    try {
      expect(await c.read()).toMatch(
        /^220 AM0PR01CA0001\.outlook\.office365\.com Microsoft ESMTP MAIL Service ready at Tue, 27 Jan 2026 10:00:00 \+0000 \[08DE[0-9A-F]{12}\]$/,
      );
      expect((await c.cmd("EHLO printer.contoso.com")).split("\r\n")).toEqual([
        "250-AM0PR01CA0001.outlook.office365.com Hello [127.0.0.1]",
        "250-SIZE 157286400",
        "250-PIPELINING",
        "250-DSN",
        "250-ENHANCEDSTATUSCODES",
        "250-STARTTLS",
        "250-8BITMIME",
        "250 SMTPUTF8",
      ]);
      const secure = await c.starttls();
      expect(secure.getProtocol()).toMatch(/^TLSv1\.[23]$/);
      expect((await c.cmd("EHLO printer.contoso.com")).split("\r\n")).toEqual([
        "250-AM0PR01CA0001.outlook.office365.com Hello [127.0.0.1]",
        "250-SIZE 157286400",
        "250-PIPELINING",
        "250-DSN",
        "250-ENHANCEDSTATUSCODES",
        "250-AUTH LOGIN XOAUTH2",
        "250-8BITMIME",
        "250 SMTPUTF8",
      ]);
    } finally {
      c.end();
    }
  });

  it("AUTH before STARTTLS: 504 5.7.4 Unrecognized authentication type", async () => {
    const c = await RawSmtp.open(smtp.port);
    try {
      await c.read();
      await c.cmd("EHLO printer");
      expect(await c.cmd("AUTH LOGIN")).toMatch(line(SmtpReplies.unrecognizedAuthType));
      expect(await c.cmd(`AUTH XOAUTH2 ${b64(`user=${SCANNER}\x01auth=Bearer good\x01\x01`)}`)).toMatch(
        line(SmtpReplies.unrecognizedAuthType),
      );
    } finally {
      c.end();
    }
  });

  it("AUTH PLAIN is not offered even after TLS: 504 5.7.4", async () => {
    const c = await RawSmtp.open(smtp.port);
    try {
      await c.read();
      await c.cmd("EHLO printer");
      await c.starttls();
      await c.cmd("EHLO printer");
      expect(await c.cmd(`AUTH PLAIN ${b64(`\0${SCANNER}\0${PASSWORD}`)}`)).toMatch(
        line(SmtpReplies.unrecognizedAuthType),
      );
    } finally {
      c.end();
    }
  });

  it("MAIL FROM without AUTH: 530 5.7.57; after a failed AUTH the failure is echoed", async () => {
    tenant = tenantWith((_t, u) => void (u.smtpClientAuthenticationDisabled = null));
    const c = await RawSmtp.open(smtp.port);
    try {
      await c.read();
      await c.cmd("EHLO printer");
      await c.starttls();
      await c.cmd("EHLO printer");
      expect(await c.cmd(`MAIL FROM:<${SCANNER}>`)).toMatch(line(SmtpReplies.clientNotAuthenticated));
      expect(await c.cmd("AUTH LOGIN")).toBe("334 VXNlcm5hbWU6");
      expect(await c.cmd(b64(SCANNER))).toBe("334 UGFzc3dvcmQ6");
      const authReply = await c.cmd(b64(PASSWORD));
      expect(authReply).toMatch(line(SmtpReplies.smtpAuthDisabledTenant));
      expect(await c.cmd(`MAIL FROM:<${SCANNER}>`)).toMatch(
        new RegExp(
          `^530 5\\.7\\.57 Client not authenticated to send mail\\. Error: 535 5\\.7\\.139 ${esc(SmtpReplies.smtpAuthDisabledTenant.text)} ${SUFFIX}$`,
        ),
      );
    } finally {
      c.end();
    }
  });

  it("a full LOGIN session reads like Exchange's", async () => {
    const c = await RawSmtp.open(smtp.port);
    try {
      await c.read();
      await c.cmd("EHLO printer");
      await c.starttls();
      await c.cmd("EHLO printer");
      await c.cmd("AUTH LOGIN");
      await c.cmd(b64(SCANNER));
      expect(await c.cmd(b64(PASSWORD))).toBe("235 2.7.0 Authentication successful");
      expect(await c.cmd(`MAIL FROM:<${SCANNER}>`)).toBe("250 2.1.0 Sender OK");
      expect(await c.cmd("RCPT TO:<someone@fabrikam.com>")).toBe("250 2.1.5 Recipient OK");
      expect(await c.cmd("DATA")).toBe("354 Start mail input; end with <CRLF>.<CRLF>");
      expect(await c.cmd("Subject: raw\r\nMessage-ID: <raw-1@contoso.com>\r\n\r\nhello\r\n.")).toBe(
        `250 2.0.0 OK <raw-1@contoso.com> [Hostname=${MAILBOX_HOST}]`,
      );
      expect(await c.cmd("QUIT")).toBe("221 2.0.0 Service closing transmission channel");
    } finally {
      c.end();
    }
  });

  it("XOAUTH2 with the SASL initial response, as Microsoft documents it", async () => {
    const c = await RawSmtp.open(smtp.port);
    try {
      await c.read();
      await c.cmd("EHLO printer");
      await c.starttls();
      await c.cmd("EHLO printer");
      expect(await c.cmd(`AUTH XOAUTH2 ${b64(`user=${SCANNER}\x01auth=Bearer good\x01\x01`)}`)).toBe(
        "235 2.7.0 Authentication successful",
      );
    } finally {
      c.end();
    }
  });

  it("TLS 1.1 is answered 421 4.7.66 and the connection closed", async () => {
    const c = await RawSmtp.open(smtp.port);
    try {
      await c.read();
      await c.cmd("EHLO printer");
      const secure = await c.starttls({ minVersion: "TLSv1.1", maxVersion: "TLSv1.1", ciphers: "DEFAULT:@SECLEVEL=0" });
      expect(secure.getProtocol()).toBe("TLSv1.1");
      expect(await c.read()).toBe(`421 4.7.66 ${SmtpReplies.tlsVersionNotSupported.text} [${MAILBOX_HOST}]`);
      await expect(c.read()).rejects.toThrow(/closed/);
    } finally {
      c.end();
    }
  });

  it("TLS 1.2 is accepted", async () => {
    const c = await RawSmtp.open(smtp.port);
    try {
      await c.read();
      await c.cmd("EHLO printer");
      const secure = await c.starttls({ maxVersion: "TLSv1.2" });
      expect(secure.getProtocol()).toBe("TLSv1.2");
      expect(await c.cmd("EHLO printer")).toContain("250-AUTH LOGIN XOAUTH2");
    } finally {
      c.end();
    }
  });
});
