export const managedTags = { 'managed-by': 'callgate' };
