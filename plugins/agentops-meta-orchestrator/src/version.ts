/** Version of the learning engine, written into records and commit trailers. */
export const engineVersion = '0.1.0';
