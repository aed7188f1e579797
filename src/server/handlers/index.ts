// Every LSP feature the server offers, one file each.
import type { Handler } from '../handler';
import { codeActions } from './codeActions';
import { completion } from './completion';
import { definition } from './definition';
import { documentLinks } from './documentLinks';
import { documentSymbols } from './documentSymbols';
import { hover } from './hover';
import { references } from './references';

export const handlers: Handler[] = [codeActions, completion, definition, documentLinks, documentSymbols, hover, references];
