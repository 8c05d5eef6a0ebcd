-- accord language server for Neovim (0.10 or later): copy to ~/.config/nvim/plugin/accord.lua.
-- `.policy` files get the `accord` filetype; `accord lsp` is started for them, with the pack
-- folder (the file's folder) as root. Diagnostics, formatting (vim.lsp.buf.format), hover (K),
-- go to definition, references, completion, code actions and semantic highlighting come from
-- the server.
vim.filetype.add({ extension = { policy = "accord" } })

vim.api.nvim_create_autocmd("FileType", {
  pattern = "accord",
  callback = function(args)
    vim.bo[args.buf].commentstring = "# %s"
    vim.lsp.start({
      name = "accord",
      cmd = { "accord", "lsp" },
      root_dir = vim.fs.dirname(vim.api.nvim_buf_get_name(args.buf)),
    })
  end,
})
