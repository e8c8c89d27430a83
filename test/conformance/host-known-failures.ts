/**
 * Host-silicon cases (test/conformance/host/) that fail today: case name -> why.
 * The one place they are listed; host.test.ts expects every other case to pass and
 * these to fail. Delete an entry when its bug is fixed.
 */

export const HOST_KNOWN_FAILURES: Readonly<Record<string, string>> = {};
