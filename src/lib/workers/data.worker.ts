/**
 * @file Data worker entry: wires the handlers to the worker scope, nothing else.
 */
import { openDatabase } from '../storage/db';
import { createDataHandlers } from './data-handlers';
import { serve } from './rpc';
import type { DataRequests } from './data-protocol';

serve<DataRequests>(
  self,
  createDataHandlers(() => openDatabase()),
);
