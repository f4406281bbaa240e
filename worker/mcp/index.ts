export { handleMcp } from "./server";
