/**
 * Conformance cases expected to fail until a later issue lands — the one
 * place they are listed. Each entry names the case and what it waits for.
 * When an issue lands, its cases start passing and `it.fails` reports them:
 * delete their entries here.
 */
export const AMX = 'issue AMX (components 17/18: XTILECFG/XTILEDATA rows, LDTILECFG/TILE* instructions, XFD #NM of AMX instructions)';
export const PASID = 'issue ENQCMD/PASID (component 10 row, IA32_PASID MSR D93H, ENQCMD/ENQCMDS)';
export const UINTR = 'issue UINTR (component 14 row, MSRs 985H-98AH, SENDUIPI/UIRET/TESTUI/STUI/CLUI, delivery)';

/** case name -> what it waits for (shared spr-sample.json and this directory's files). */
export const PENDING: Readonly<Record<string, string>> = {
  // spr-sample.json, groups of later issues
  'amx/ldtilecfg-gp-reserved-byte56': AMX,
  'amx/ldtilecfg-pf-unmapped': AMX,
  'amx/tdpbusd-random-3x5x7': AMX,
  'amx/ldtilecfg-sttilecfg-colsb-not-multiple-of-4': AMX,
  'amx/ldtilecfg-unaligned-source': AMX,
  'amx/tdpbf16ps-daz-ftz': AMX,
  'amx/ud-tdpbssd-shape-k-ne-src2-rows': AMX,
  'xfd/xsavec-armed-dirty-tiles': AMX,
  'xfd/cpl3-armed-tilezero-unconfigured-ud': AMX,
  'xfd/nm-tilestored': AMX,
  'xfd/kvm-amx-test-sequence': AMX,
  'xfd-err/wrmsr-readback': AMX, // IA32_XFD_ERR bit 18 is writable once CPUID.(0DH,18):ECX[2] = 1
  'enqcmd/ss-source-noncanonical-rsp': PASID,
  'enqcmd/gp-pasid-invalid': PASID,
  'enqcmd/gp-pasid-valid-bit-clear': PASID,
  'enqcmd/pf-source-crosses-into-unmapped': PASID,
  'enqcmd/ud-register-operand': PASID,
  'enqcmds/gp-cpl3': PASID,
  'enqcmds/pf-source-unmapped': PASID,
  'pasid-msr/wrmsr-gp-bit63': PASID,
  'pasid-msr/wrmsr-readback': PASID,
  'uintr/uiret-ss-rsp-not-canonical': UINTR,
  'uintr/senduipi-gp-uitte-reserved-bit16': UINTR,
  'uintr/senduipi-gp-index-2pow32': UINTR,
  'uintr/deliver-pf-stack-readonly': UINTR,
  'uintr/deliver-subtract-then-align': UINTR,
  'uintr/cpl0-stui-testui': UINTR,
  'uintr/senduipi-ndst-other-apic': UINTR,
  'uintr-msr/misc-bit40-gp': UINTR,
  'uintr-msr/stackadjust-readback': UINTR,
  // spr-sample.json, XSAVE-family groups that need those components
  'xsetbv/cpl0-valid-602e7': AMX, // XCR0 bits 17/18 are settable once the AMX rows exist
  'xsetbv/cpl0-valid-60003': AMX,
  'xss/wrmsr-valid-dd00': `${PASID}; ${UINTR}`, // IA32_XSS bits 10 and 14
  'xsaves/gp-misaligned-8': UINTR, // the case sets the UINTR MSRs
  'xsaves/pasid-roundtrip-wrmsr': PASID,
  'xrstors/layout-follows-xcomp-not-rfbm': `${PASID}; ${UINTR}`,
  // test/conformance/xsave-spr.json
  'xrstor/nm-xfd-tiledata': AMX,
  'xrstor/xfd-init-only-no-nm': AMX,
  'xrstors/gp-uinv-nonzero-init': UINTR,
};
