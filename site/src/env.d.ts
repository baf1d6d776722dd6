// The root type check does not see Astro's generated content types; this is the part the site uses.
declare module 'astro:content' {
  export function getCollection(
    name: string,
  ): Promise<{ id: string; data: Record<string, unknown> }[]>;
}

interface ImportMetaEnv {
  readonly BASE_URL: string;
  readonly SITE: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
