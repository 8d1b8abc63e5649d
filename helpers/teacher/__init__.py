"""Teacher tools: the answer key, exports of the question bank, class results. Never imports widgets."""
