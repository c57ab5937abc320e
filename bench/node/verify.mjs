// aws-jwt-verify on the same token as the Java authorizer benchmark, for scripts/benchmark.sh.
//   node verify.mjs <work dir> <warm-up ms> <round ms> <rounds>
// The work dir holds token.txt, jwks.json, user-pool-id.txt and client-id.txt (written by the driver).
// The JWKS is put into the verifier's cache (cacheJwks), so no request is made: like the Java side, only
// verification is measured. Prints "BENCH-PROVIDER ..." and one "BENCH-ROUND ops=<n> nanos=<wall> cpuNanos=<process
// CPU, user + system>" per round.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CognitoJwtVerifier } from "aws-jwt-verify";

const [work, warmUpMs, roundMs, rounds] = process.argv.slice(2);
const read = (name) => readFileSync(join(work, name), "utf8").trim();
const token = read("token.txt");
const verifier = CognitoJwtVerifier.create({
  userPoolId: read("user-pool-id.txt"),
  tokenUse: "access",
  clientId: read("client-id.txt"),
});
verifier.cacheJwks(JSON.parse(read("jwks.json")));

const first = verifier.verifySync(token);
if (!first.sub) throw new Error("the token did not verify");
const version = JSON.parse(readFileSync(new URL("./node_modules/aws-jwt-verify/package.json", import.meta.url), "utf8")).version;
console.log(`BENCH-PROVIDER aws-jwt-verify ${version} on Node.js ${process.version} (OpenSSL ${process.versions.openssl})`);

let sink = 0;
function run(ms) {
  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  const end = start + BigInt(ms) * 1000000n;
  let ops = 0;
  let now;
  do {
    sink += verifier.verifySync(token).exp;
    ops++;
    now = process.hrtime.bigint();
  } while (now < end);
  const cpu = process.cpuUsage(cpuBefore);
  return [ops, now - start, BigInt(cpu.user + cpu.system) * 1000n];
}

run(Number(warmUpMs));
for (let i = 0; i < Number(rounds); i++) {
  const [ops, nanos, cpuNanos] = run(Number(roundMs));
  console.log(`BENCH-ROUND ops=${ops} nanos=${nanos} cpuNanos=${cpuNanos}`);
}
console.log(`BENCH-SINK ${sink}`);
