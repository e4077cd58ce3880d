"""The offline web app: server-rendered pages, our own static JS/CSS, mounted in the API app."""
