/**
 * One SMTP submission the OAuth way (issue 8): a client-credentials token for Exchange Online
 * (scope https://outlook.office365.com/.default) from @azure/identity, then STARTTLS and
 * AUTH XOAUTH2 (`user=<mailbox>^Aauth=Bearer <token>^A^A`, fact sheet §6) with nodemailer.
 *
 * Used by `npm start -- --oauth` and test/e2e/oauth.test.ts against the sandbox. The CA to trust is
 * passed explicitly to both clients; certificate checks are never turned off. Neither the secret
 * nor the token appears in what this returns.
 */
import { ClientSecretCredential } from "@azure/identity";
import nodemailer, { type SendMailOptions } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport/index.js";

/** The scope of an app-only token for SMTP, POP and IMAP. */
export const EXCHANGE_SCOPE = "https://outlook.office365.com/.default";

export interface Xoauth2SendOptions {
  tenantId: string;
  /** The app's application (client) id. */
  clientId: string;
  clientSecret: string;
  /** The token service's host, e.g. the sandbox's https://127.0.0.1:<port>; Microsoft's by default. */
  authorityHost?: string;
  smtpHost: string;
  smtpPort: number;
  /** PEM of a private CA to trust (the sandbox's); undefined trusts the system store only. */
  ca?: string;
  /** TLS server name to check the certificate against. */
  servername?: string;
  /** The mailbox to send as: the XOAUTH2 `user=` and the envelope sender. */
  mailbox: string;
  to: string;
}

export type SendResult = { ok: true; response: string } | { ok: false; reply: string };

/** Gets the token and sends one message. A refused token or SMTP reply is `{ ok: false, reply }`, not a throw. */
export async function sendWithXoauth2(o: Xoauth2SendOptions): Promise<SendResult> {
  const credential = new ClientSecretCredential(o.tenantId, o.clientId, o.clientSecret, {
    ...(o.authorityHost ? { authorityHost: o.authorityHost, disableInstanceDiscovery: true } : {}),
    ...(o.ca ? { tlsOptions: { ca: o.ca } } : {}),
    retryOptions: { maxRetries: 0 },
  });
  let accessToken: string;
  try {
    accessToken = (await credential.getToken(EXCHANGE_SCOPE)).token;
  } catch (err) {
    return { ok: false, reply: `token request refused: ${(err as Error).message.split("\n")[0] ?? ""}` };
  }
  return sendOnce(
    {
      host: o.smtpHost,
      port: o.smtpPort,
      secure: false,
      requireTLS: true,
      tls: { ...(o.ca ? { ca: o.ca } : {}), ...(o.servername ? { servername: o.servername } : {}) },
      auth: { type: "OAuth2", user: o.mailbox, accessToken },
    },
    {
      from: o.mailbox,
      to: o.to,
      subject: "Scanned document (OAuth)",
      text: "Scan-to-email test over SMTP AUTH XOAUTH2 from m365-smtp-auth's sandbox.",
    },
  );
}

/** Sends one message over a fresh SMTP connection; the server's refusal is `{ ok: false, reply }`, not a throw. */
export async function sendOnce(transportOptions: SMTPTransport.Options, message: SendMailOptions): Promise<SendResult> {
  const transport = nodemailer.createTransport(transportOptions);
  try {
    const info = await transport.sendMail(message);
    return { ok: true, response: info.response };
  } catch (err) {
    return { ok: false, reply: (err as { response?: string }).response ?? (err as Error).message };
  } finally {
    transport.close();
  }
}
