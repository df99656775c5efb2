// The view types of the panels that survive Reload Window, outside the lazily loaded panels bundle
// (esbuild.mjs) so registering their serializers at activation does not load it.
export const COMPARE_VIEW_TYPE = 'promptLedger.compare';
export const REGISTRY_VIEW_TYPE = 'promptLedger.registry';
