import path from 'node:path/posix';
import type { SkillFrontmatter } from '../../generated/schema-types.ts';
import type { ComponentOrigin, SkillComponent, UnloadedFile } from '../model.ts';
import { describe, tokensOf } from './markdown-components.ts';
import { isObject, type Json, type PluginScope } from './plugin-scope.ts';

/** A folder holding a `SKILL.md` to load. */
interface SkillDir {
  dir: string;
  origin: ComponentOrigin;
  /** True for a skills path naming the plugin root itself: the frontmatter `name` names it. */
  useFrontmatterName: boolean;
}

/**
 * Skills: `skills/<dir>/SKILL.md` by default, plus the manifest's and entry's `skills` folders
 * (each a skill folder or a folder of them). Files in `skills/` that Claude Code skips are recorded
 * in `plugin.unloaded`.
 */
export function discoverSkills(scope: PluginScope): SkillComponent[] {
  const { plugin } = scope;
  const skillDirs = [...defaultSkillDirs(scope)];
  if (scope.manifestData.skills !== undefined)
    skillDirs.push(...declaredSkillDirs(scope, 'manifest'));
  if (plugin.entry && scope.entryData.skills !== undefined)
    skillDirs.push(...declaredSkillDirs(scope, 'entry'));
  const seen = new Set<string>();
  const out: SkillComponent[] = [];
  for (const skill of skillDirs) {
    if (seen.has(skill.dir)) continue;
    seen.add(skill.dir);
    const file = skill.dir === '' ? 'SKILL.md' : `${skill.dir}/SKILL.md`;
    const doc = scope.reader.markdown<SkillFrontmatter>(file, 'skill');
    const fm: Json = isObject(doc.data) ? doc.data : {};
    const name =
      skill.useFrontmatterName && typeof fm.name === 'string'
        ? fm.name
        : path.basename(skill.dir === '' ? plugin.dirName : skill.dir);
    const description = describe(doc);
    out.push({
      kind: 'skill',
      name,
      path: file,
      origin: skill.origin,
      doc,
      description,
      tokens: tokensOf(name, description, doc),
      invocation: `/${plugin.name}:${name}`,
      dir: skill.dir,
    });
  }
  return out;
}

/** The skill folders of `skills/`, recording the files there that Claude Code does not load. */
function defaultSkillDirs(scope: PluginScope): SkillDir[] {
  const out: SkillDir[] = [];
  const skillsRoot = scope.at('skills');
  for (const entry of scope.tree) {
    if (!entry.path.startsWith(`${skillsRoot}/`)) continue;
    const rest = entry.path.slice(skillsRoot.length + 1);
    const depth = rest.split('/').length;
    if (entry.type === 'dir' && depth === 1) {
      if (scope.files.has(`${entry.path}/SKILL.md`))
        out.push({ dir: entry.path, origin: 'default', useFrontmatterName: false });
    } else if (entry.type === 'file') {
      const reason = unloadedReason(path.basename(rest), depth);
      if (reason) scope.plugin.unloaded.push({ path: entry.path, reason });
    }
  }
  return out;
}

/** Why Claude Code skips a file `depth` levels below `skills/`, or `undefined` when it does not. */
function unloadedReason(fileName: string, depth: number): UnloadedFile['reason'] | undefined {
  if (depth === 1 && fileName.endsWith('.md')) return 'skill-not-in-folder';
  if (depth > 2 && fileName === 'SKILL.md') return 'skill-too-deep';
  if (depth === 2 && fileName !== 'SKILL.md' && fileName.toLowerCase() === 'skill.md')
    return 'skill-file-name-case';
  return undefined;
}

/** The skill folders a manifest or entry `skills` field names: skill folders or folders of them. */
function declaredSkillDirs(scope: PluginScope, declaredIn: 'manifest' | 'entry'): SkillDir[] {
  const { source, base } = scope;
  const out: SkillDir[] = [];
  for (const target of scope.declared(declaredIn, 'skills', 'dir')) {
    if (source.type(`${target.path}/SKILL.md`.replace(/^\//, '')) === 'file') {
      out.push({ dir: target.path, origin: declaredIn, useFrontmatterName: target.path === base });
      continue;
    }
    for (const child of source.list(target.path)) {
      const childDir = target.path === '' ? child.name : `${target.path}/${child.name}`;
      if (source.type(childDir) === 'dir' && source.type(`${childDir}/SKILL.md`) === 'file')
        out.push({ dir: childDir, origin: declaredIn, useFrontmatterName: false });
    }
  }
  return out;
}
