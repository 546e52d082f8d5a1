/** The library behind the `tpot` command line. */
export { resolveConfig, type Config } from './config.js';
export { openDatabase, migrate, type Db } from './db/database.js';
export { ArchiveStore, type MergeStrategy } from './db/archive-store.js';
export { ArchiveImporter, type ArchiveResult, type ImportSummary, type ImportAllOptions } from './archive/importer.js';
export { resolveArchiveSource } from './archive/sources/resolve.js';
export { HttpArchiveSource } from './archive/sources/http-source.js';
export { DirectoryArchiveSource } from './archive/sources/directory-source.js';
export { ZipArchiveSource } from './archive/sources/zip-source.js';
export { readArchiveFile, type ArchiveSink } from './archive/reader.js';
export { writeDemoCommunity, writeSingleArchive } from './demo/generator.js';
export { normaliseUsername, InvalidUsernameError } from './usernames.js';
