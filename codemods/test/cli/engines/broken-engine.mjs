// An engine module that fails while loading, as a build with a broken engine would.
throw new Error('The broken engine fails at import.');
