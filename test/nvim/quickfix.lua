-- Neovim's built-in LSP client (0.7+) against the built server, as an independent client: open a
-- fixture, wait for the server's diagnostic, ask for code actions the way `vim.lsp.buf.code_action`
-- does, apply the preferred quick fix as UTF-16 and check the buffer. Run headless by
-- test/protocol/neovim.test.ts, which passes paths in the environment. Prints one result line;
-- exits 0 (`qall!`) on success, 1 (`cquit 1`) on any failure.

local RULE = 'unawaited-background-work'
local FIX_TITLE = 'Await the background work'
local WAIT_MS = 30000

local function env(name)
  local value = os.getenv(name)
  if not value or value == '' then error(name .. ' is not set', 0) end
  return value
end

local function read_file(path)
  local file = assert(io.open(path, 'rb'))
  local content = file:read('*a')
  file:close()
  return content
end

local function our_diagnostics(bufnr)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == 'context-pool-lint' then table.insert(found, d) end
  end
  return found
end

local function buffer_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n') .. '\n'
end

local function main()
  local server = env('CPL_SERVER_JS')
  local root = env('CPL_ROOT')
  local fixture = env('CPL_FIXTURE')
  local expected = read_file(env('CPL_EXPECTED'))

  vim.cmd('edit ' .. vim.fn.fnameescape(fixture))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'javascript'

  local exited
  local client_id = vim.lsp.start_client({
    name = 'context-pool-lint',
    cmd = { 'node', server, '--stdio' },
    root_dir = root,
    settings = { contextPoolLint = { run = 'onType' } },
    on_exit = function(code, signal) exited = string.format('server exited (code %s, signal %s)', code, signal) end,
  })
  if not client_id then error('vim.lsp.start_client failed', 0) end
  if not vim.lsp.buf_attach_client(bufnr, client_id) then error('vim.lsp.buf_attach_client failed', 0) end
  local client = vim.lsp.get_client_by_id(client_id)

  local diagnostic
  vim.wait(WAIT_MS, function()
    for _, d in ipairs(our_diagnostics(bufnr)) do
      if d.code == RULE then diagnostic = d end
    end
    return diagnostic ~= nil or exited ~= nil
  end, 20)
  if exited then error(exited, 0) end
  if not diagnostic then error('no ' .. RULE .. ' diagnostic within ' .. WAIT_MS .. ' ms', 0) end

  -- What :lua vim.lsp.buf.code_action() sends with the cursor on the diagnostic.
  vim.api.nvim_win_set_cursor(0, { diagnostic.lnum + 1, diagnostic.col })
  local params = vim.lsp.util.make_range_params(0, 'utf-16')
  params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr) }
  local response, err = client.request_sync('textDocument/codeAction', params, WAIT_MS, bufnr)
  if not response then error('codeAction request failed: ' .. tostring(err), 0) end
  if response.err then error('codeAction error: ' .. vim.inspect(response.err), 0) end

  local chosen
  local titles = {}
  for _, action in ipairs(response.result or {}) do
    table.insert(titles, action.title)
    if action.title == FIX_TITLE and action.isPreferred and action.edit then chosen = action end
  end
  if not chosen then error('no preferred "' .. FIX_TITLE .. '" action among: ' .. table.concat(titles, ' | '), 0) end

  vim.lsp.util.apply_workspace_edit(chosen.edit, 'utf-16')
  local text = buffer_text(bufnr)
  if text ~= expected then
    error('buffer after the fix:\n' .. text .. '\nexpected:\n' .. expected, 0)
  end

  -- The edit reached the server through didChange, and the diagnostic goes away.
  local cleared = vim.wait(WAIT_MS, function() return #our_diagnostics(bufnr) == 0 or exited ~= nil end, 20)
  if exited then error(exited, 0) end
  if not cleared then error('the diagnostic is still there after the fix', 0) end

  io.stdout:write('NVIM_QUICKFIX_OK applied "' .. chosen.title .. '" (' .. #titles .. ' actions offered)\n')
end

local ok, failure = xpcall(main, debug.traceback)
if ok then
  vim.cmd('qall!')
else
  io.stderr:write('NVIM_QUICKFIX_FAILED ' .. tostring(failure) .. '\n')
  vim.cmd('cquit 1')
end
