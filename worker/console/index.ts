export { handleConsole } from "./console";
