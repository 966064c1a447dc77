import type { ts } from 'ts-morph';
import type { FileFacts } from '../fileFacts';
import type { LocalDeclarations } from '../scopes/appKinds';
import { indexOf } from '../syntax/fileIndex';
import { ImportTable } from '../scopes/imports';
import type { ValueResolver } from '../syntax/values';
import type { TypeInfo } from '../typeInfo';
import { AcquisitionFinder } from './acquisitions';
import { classesOf, lazyClasses } from './elements';
import { findFreeLists } from './freeLists';
import { Ownership } from './ownership';
import { findCreatedPools, PoolOrigins } from './poolOrigins';
import type { Acquisition, CreatedPool, FreeList, GiveBack, UserPool } from './poolModel';
import { findUserPools } from './userPools';

export type { Acquisition, CreatedPool, ElementOrigin, FreeList, GiveBack, Holder, PoolKind, ReleaseStyle, UserPool } from './poolModel';

/**
 * Pool recognition for one file (RULES.md §3): the pools the file creates or declares, every place
 * it takes a resource from a pool, and every place it gives an object back to an object pool.
 * Everything is computed on first use; a file with nothing pool-like costs one text search.
 */
export interface PoolFacts {
  readonly sourceFile: ts.SourceFile;
  /** False when the file cannot contain pool code: rules return at once. */
  readonly mayHavePools: boolean;
  /** Whether asking the type checker can help (TypeScript, or JavaScript that imports packages). */
  readonly mayUseTypes: boolean;
  /** Library pools created in this file (`new Pool()`, `genericPool.createPool(factory)`). */
  readonly createdPools: readonly CreatedPool[];
  /** Classes declared in this file that work as object pools. */
  readonly userPools: readonly UserPool[];
  readonly freeLists: readonly FreeList[];
  /** Calls that hand out a pooled resource, in source order. */
  readonly acquisitions: readonly Acquisition[];
  /** Calls that give an object back to an object pool (user pool, free list, generic-pool, tarn), in source order. */
  readonly giveBacks: readonly GiveBack[];
  /** Variable and parameter declarations of the file, shared with the pool rules' analyses. */
  readonly declarations: LocalDeclarations;
  /** Classes declared in the file, by name. */
  readonly classes: ReadonlyMap<string, ts.ClassLikeDeclaration>;
  /** Where acquired resources are released, handed on or leaked; shared so helper verdicts are computed once. */
  readonly ownership: Ownership;
  /** What syntax says values are across the project's files, when the analysis provides it. */
  readonly values: ValueResolver | undefined;
}

// Calls without which a file has no acquisition, pool class (its take method pops) or free list:
// library acquisitions, and take-shaped calls (no argument) of any get-like method of RULES.md §3,
// which is how code takes from a user-defined pool declared in another module.
const POOL_WORDS = /\b(connect|getConnection|acquire|startSession|pop|shift)\s*\(|\.\s*(get|obtain|take|borrow|alloc)\s*\(\s*\)/;

export function computePoolFacts(sourceFile: ts.SourceFile, types: TypeInfo, imports: ImportTable = new ImportTable(sourceFile), values?: ValueResolver): PoolFacts {
  return new LazyPoolFacts(sourceFile, types, imports, values);
}

/** The file's pool facts (kept as the rules' entry point; `FileFacts.pools` builds them). */
export function poolFactsOf(facts: FileFacts): PoolFacts {
  return facts.pools;
}

class LazyPoolFacts implements PoolFacts {
  readonly mayHavePools: boolean;
  readonly mayUseTypes: boolean;
  #classes: ReadonlyMap<string, ts.ClassLikeDeclaration> | undefined;
  #values: ValueResolver | undefined;
  #created: CreatedPool[] | undefined;
  #userPools: UserPool[] | undefined;
  #freeLists: FreeList[] | undefined;
  #scan: { acquisitions: Acquisition[]; giveBacks: GiveBack[] } | undefined;
  #ownership: Ownership | undefined;

  constructor(
    readonly sourceFile: ts.SourceFile,
    private readonly types: TypeInfo,
    private readonly imports: ImportTable,
    values: ValueResolver | undefined,
  ) {
    this.mayHavePools = POOL_WORDS.test(sourceFile.text);
    this.mayUseTypes = !/\.[cm]?jsx?$/.test(sourceFile.fileName) || imports.modules.size > 0;
    this.#values = values;
  }

  get values(): ValueResolver | undefined {
    return this.#values;
  }

  /** Takes effect if the acquisitions were not scanned yet (the analysis' shared resolver). */
  get declarations(): LocalDeclarations {
    return indexOf(this.sourceFile).declarations;
  }

  get classes(): ReadonlyMap<string, ts.ClassLikeDeclaration> {
    this.#classes ??= this.mayHavePools ? classesOf(this.sourceFile) : new Map();
    return this.#classes;
  }

  get createdPools(): readonly CreatedPool[] {
    this.#created ??= findCreatedPools(this.sourceFile, this.imports, this.declarations, lazyClasses(this.sourceFile));
    return this.#created;
  }

  get userPools(): readonly UserPool[] {
    this.#userPools ??= this.mayHavePools ? findUserPools(this.sourceFile) : [];
    return this.#userPools;
  }

  get freeLists(): readonly FreeList[] {
    this.#freeLists ??= this.mayHavePools ? findFreeLists(this.sourceFile, this.declarations, this.userPools, lazyClasses(this.sourceFile)) : [];
    return this.#freeLists;
  }

  get ownership(): Ownership {
    this.#ownership ??= new Ownership(this, this.types, this.mayUseTypes);
    return this.#ownership;
  }

  get acquisitions(): readonly Acquisition[] {
    return this.#scanned().acquisitions;
  }

  get giveBacks(): readonly GiveBack[] {
    return this.#scanned().giveBacks;
  }

  #scanned(): { acquisitions: Acquisition[]; giveBacks: GiveBack[] } {
    if (!this.#scan) {
      if (!this.mayHavePools) {
        this.#scan = { acquisitions: [], giveBacks: [] };
      } else {
        const origins = new PoolOrigins(this.imports, this.declarations, this.types, this.userPools, this.createdPools, this.#values);
        this.#scan = new AcquisitionFinder(this.sourceFile, this.declarations, origins, this.freeLists, this.types, this.mayUseTypes).run();
      }
    }
    return this.#scan;
  }
}
