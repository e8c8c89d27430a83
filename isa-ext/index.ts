/**
 * The ISA extensions the machine installs by default, in installation order.
 */
import type { IsaExtension } from '../emulator/extension.ts';

export const EXTENSIONS: IsaExtension[] = [];
