/**
 * Secrets at rest: sealing with the current key, opening with whichever key sealed a value,
 * the encrypted table, and re-sealing after a key rotation. docs/security.md#secrets.
 */
export { secretBox, keyIdOf, SecretDecryptionError, type SecretBox } from "./secret-box";
export { secretKeyring, type Keyring, type SecretKeys } from "./keyring";
export { putSecret, readSecret, deleteSecret, readSecretWithSeal, swapSecret } from "./secret-store";
export { resealSecrets, sealStatus, RESEAL_BATCH_SIZE, type ResealReport, type SealStatus } from "./rotation";
