export { secretBox, SecretDecryptionError, type SecretBox } from "./secret-box";
export { putSecret, readSecret, deleteSecret } from "./secret-store";
