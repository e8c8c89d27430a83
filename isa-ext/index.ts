/**
 * The ISA extensions the machine installs by default, in installation order.
 */
import type { IsaExtension } from '../emulator/extension.ts';
import { XSAVE_EXTENSION } from './xsave/index.ts';

export const EXTENSIONS: IsaExtension[] = [XSAVE_EXTENSION];
