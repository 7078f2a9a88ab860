/**
 * @file A stored task (the record, as a bundle or the CLI reads it) for generation tests:
 * three news labels in Swahili and Hausa.
 */
import type { Task } from '../../src/lib/domain/task';

export const NEWS_TASK_RECORD: Task = {
  id: 'task-news',
  name: 'News',
  description: 'News sentences',
  languages: [
    { code: 'sw', name: 'Swahili' },
    { code: 'ha', name: 'Hausa' },
  ],
  labels: [
    { name: 'sports', description: 'games and athletes' },
    { name: 'health', description: 'medicine and illness' },
    { name: 'politics', description: 'government' },
  ],
  createdAt: 0,
  updatedAt: 0,
};
