// Tests for sandbox/tls.ts (named smtp-* to stay inside the SMTP owner's test paths).
import { createServer, request } from "node:https";
import type { AddressInfo } from "node:net";
import { X509Certificate, createPrivateKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createPki } from "../../sandbox/tls.ts";

function get(url: string, ca?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, ca === undefined ? {} : { ca }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("createPki", () => {
  it("issues a server certificate for 127.0.0.1 and localhost that a client trusting only the CA accepts", async () => {
    const pki = createPki();
    const server = createServer({ key: pki.keyPem, cert: pki.certPem }, (_req, res) => res.end("ok"));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    try {
      await expect(get(`https://127.0.0.1:${port}/`, pki.caPem)).resolves.toEqual({ status: 200, body: "ok" });
      await expect(get(`https://localhost:${port}/`, pki.caPem)).resolves.toEqual({ status: 200, body: "ok" });
      // Without the CA the default trust store must refuse it: checks are never off.
      await expect(get(`https://127.0.0.1:${port}/`)).rejects.toThrow(/self-signed|unable to verify|certificate/i);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it("has the documented shape: SANs, serverAuth, validity from an hour ago, signed by the CA", () => {
    const pki = createPki(["127.0.0.1", "localhost", "sandbox.test"], { fresh: true });
    const ca = new X509Certificate(pki.caPem);
    const leaf = new X509Certificate(pki.certPem);
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.subjectAltName).toBe("IP Address:127.0.0.1, DNS:localhost, DNS:sandbox.test");
    expect(leaf.keyUsage).toContain("1.3.6.1.5.5.7.3.1");
    const from = new Date(leaf.validFrom).getTime();
    expect(Date.now() - from).toBeGreaterThan(55 * 60 * 1000);
    expect(new Date(leaf.validTo).getTime() - Date.now()).toBeGreaterThan(2 * 24 * 60 * 60 * 1000);
    expect(leaf.checkPrivateKey(createPrivateKey(pki.keyPem))).toBe(true);
  });

  it("caches per host list", () => {
    expect(createPki(["localhost"])).toBe(createPki(["localhost"]));
  });
});
