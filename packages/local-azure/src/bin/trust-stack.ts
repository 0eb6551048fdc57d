// Preload for `node --env-file=.local-azure/stack.env --import @keyless/local-azure/trust-stack`:
// Node reads NODE_EXTRA_CA_CERTS before it applies --env-file, so the certificate is trusted here.
import { trustCertificate } from '../azurite/trust.ts';

const certPath = process.env['NODE_EXTRA_CA_CERTS'];
if (certPath) trustCertificate(certPath);
