export { analyticsSubgraph } from './schema';
export { landingScript, landingScriptRoute, LANDING_SCRIPT_PATH } from './landing-script/landing-script.route';
