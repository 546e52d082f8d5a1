/**
 * What a curated community, a version, a tag and a note may look like (docs/COMMUNITIES.md, "Curation"). Pure, so
 * the curation store, the API's validation and the explorer's forms check the same rules.
 */
export const SHORT_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;
export const TAG_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;
export const VERSION_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const COLOR_PATTERN = /^#[0-9a-f]{6}$/;
export const MAX_NAME_LENGTH = 80;
export const MAX_DESCRIPTION_LENGTH = 2000;
export const MAX_NOTE_LENGTH = 2000;
