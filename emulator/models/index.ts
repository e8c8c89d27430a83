/**
 * CPU models as data, and CPUID. Public entry point of emulator/models/:
 *   load.ts      loadModel(name?), listModels(), parseModel(text, file), loadModelFile(path)
 *   cpuid.ts     cpuid(model, leaf, subleaf, dyn), standardSize, compactedSize, compactedLayout,
 *                xstateComponent, enabledComponents, xcr0Supported, xssSupported, describeModel
 *   features.ts  FEATURES, implementedFeatures, markImplemented, unmarkImplemented, isImplemented
 *   report.ts    cpusReport(name?)  (text of `x86emu cpus [NAME]`)
 *   types.ts     CpuModel, XstateComponent, CpuidRegs, CpuidDyn
 */
export * from './types.ts';
export * from './features.ts';
export * from './load.ts';
export * from './cpuid.ts';
export * from './report.ts';
