/**
 * The public certificate file of `oauth.apps.<name>.credential.file` (fuzzer D2): a pull request
 * must not make CI read any file on the runner (an absolute path, `..`, a link leading out of the
 * stack's folder), block on a device or pipe, or exhaust memory on /dev/zero. The file must be a
 * regular file inside the folder of tenant.yaml, at most 64 KiB, holding exactly one PEM certificate
 * and no private key. Messages never quote the path or the content.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from "node:fs";
import path from "node:path";

/** One certificate is 1–2 KiB of PEM: 64 KiB is far above it, text header included, and far below harm. */
export const CERTIFICATE_FILE_MAX_BYTES = 64 * 1024;

const BEGIN = /-----BEGIN CERTIFICATE-----/g;
const END = /-----END CERTIFICATE-----/g;

/**
 * Reads `file`, relative to the folder of `tenantFile`, as a public certificate. Returns the PEM
 * text, or the problem as a message for the `file` key; never throws and never opens anything but a
 * regular file inside that folder.
 */
export function readCertificateFile(tenantFile: string, file: string): { pem: string } | { problem: string } {
  const instead = "put the certificate in the stack's folder, next to tenant.yaml (e.g. certs/erp.pem)";
  if (path.posix.isAbsolute(file) || path.win32.isAbsolute(file))
    return { problem: `must be a path relative to tenant.yaml's folder, not an absolute path; ${instead}` };
  if (file.split(/[\\/]/).includes(".."))
    return { problem: `must not leave tenant.yaml's folder (no ".." in the path); ${instead}` };

  const dir = path.resolve(path.dirname(tenantFile));
  let fd: number;
  try {
    const real = realpathSync(path.resolve(dir, file));
    const realDir = realpathSync(dir);
    const inside = real === realDir || real.startsWith(realDir.endsWith(path.sep) ? realDir : realDir + path.sep);
    if (!inside) return { problem: `leads outside tenant.yaml's folder through a symbolic link; ${instead}` };
    // Non-blocking, so that a named pipe put there cannot hang the run; fstat then refuses it.
    fd = openSync(real, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    return { problem: `cannot read the file (${(err as NodeJS.ErrnoException).code ?? "unknown error"})` };
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { problem: "is a folder; give the certificate's .pem file" };
    if (!stat.isFile())
      return { problem: "is not a regular file (a device, pipe or socket); give the certificate's .pem file" };
    const limit = CERTIFICATE_FILE_MAX_BYTES;
    const tooBig = `the file is over ${limit.toLocaleString("en-US")} bytes (64 KiB); a certificate file holds one certificate of a few KiB`;
    if (stat.size > limit) return { problem: tooBig };
    // Read at most one byte past the limit, whatever the size said: the file may grow meanwhile.
    const buffer = Buffer.alloc(limit + 1);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    if (n > limit) return { problem: tooBig };
    return checkPem(buffer.subarray(0, n).toString("utf8"));
  } catch (err) {
    return { problem: `cannot read the file (${(err as NodeJS.ErrnoException).code ?? "unknown error"})` };
  } finally {
    closeSync(fd);
  }
}

/** Exactly one complete `-----BEGIN CERTIFICATE-----` block and no private key. */
function checkPem(pem: string): { pem: string } | { problem: string } {
  // Never let a private key reach the program, the state or a pull request.
  if (/PRIVATE KEY/.test(pem))
    return {
      problem:
        "the file holds a private key; give only the public certificate (-----BEGIN CERTIFICATE-----) and keep the key on the device",
    };
  const begins = pem.match(BEGIN)?.length ?? 0;
  const ends = pem.match(END)?.length ?? 0;
  if (begins === 0) return { problem: "the file is not a PEM certificate" };
  if (begins > 1)
    return {
      problem: `the file holds ${begins} certificates; give exactly one, the app's own public certificate (not a chain or a CA bundle)`,
    };
  if (ends !== 1 || pem.indexOf("-----END CERTIFICATE-----") < pem.indexOf("-----BEGIN CERTIFICATE-----"))
    return {
      problem: "the file's certificate is incomplete: it needs a -----END CERTIFICATE----- line after its BEGIN line",
    };
  return { pem };
}
