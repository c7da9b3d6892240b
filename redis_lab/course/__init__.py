"""The course: lessons as Markdown files, loaded, checked, replayed, demoed and exported."""
