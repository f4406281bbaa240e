export { secretBox, SecretDecryptionError, type SecretBox } from "./secret-box";
export { putSecret, readSecret, deleteSecret, readSecretWithSeal, swapSecret } from "./secret-store";
