// Every LSP feature the server offers, one file each.
import type { Handler } from '../handler';
import { definition } from './definition';
import { documentSymbols } from './documentSymbols';
import { references } from './references';

export const handlers: Handler[] = [definition, documentSymbols, references];
