/** /api/presets: the catalogue of ready-made integrations (presets/); POST /api/integrations {preset} adds one. */
import { json } from "../http";
import { PRESETS } from "../presets";
import type { Route } from "./route";
import { listOf, PRESET } from "./schemas";

/** The presets route. */
export const PRESET_ROUTES: Route[] = [
  {
    method: "GET",
    path: "/api/presets",
    summary: "List the presets",
    response: { status: 200, description: "Every preset with its URL, auth, reads and suggested policies (not paged)", schema: listOf(PRESET) },
    handler: () => json({ items: PRESETS, total: PRESETS.length, nextOffset: null }),
  },
];
