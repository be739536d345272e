/**
 * What `render` accepts beyond the shared contract's RenderOptions: the team's notes and earlier
 * runs of the drill (see aar/context.ts). A reporter given only RenderOptions renders the journal alone.
 */
import type { AarContext } from './aar/context.js';
import type { RenderOptions } from './contract.js';

export interface ReportOptions extends RenderOptions, AarContext {}
