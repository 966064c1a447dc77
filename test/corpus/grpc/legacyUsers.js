// The original users service (CommonJS), still serving the mobile apps.
'use strict';

const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const { promisePool } = require('../lib/mysqlPool.js');

const proto = grpc.loadPackageDefinition(protoLoader.loadSync('protos/users.proto'));

// "The user being served": read by the audit helper.
let currentUserId = null;
let served = 0;

function auditLine(action) {
  return `${new Date().toISOString()} user=${currentUserId} ${action}`;
}

const users = {
  // Wrong: request data in a module variable, read by another function after an await.
  async getUser(call, callback) {
    currentUserId = call.request.userId; // expect: request-state-in-module-variable
    served++;
    const conn = await promisePool.getConnection();
    try {
      const [rows] = await conn.query('SELECT id, name, email FROM users WHERE id = ?', [call.request.userId]);
      console.log(auditLine('getUser'));
      callback(null, rows[0] || {});
    } finally {
      conn.release();
    }
  },

  // Wrong: the connection is used after it went back to the pool.
  async renameUser(call, callback) {
    const conn = await promisePool.getConnection();
    let result;
    try {
      [result] = await conn.query('UPDATE users SET name = ? WHERE id = ?', [call.request.name, call.request.userId]);
    } finally {
      conn.release();
    }
    await conn.query('INSERT INTO user_audit (user_id, action) VALUES (?, ?)', [call.request.userId, 'rename']); // expect: pooled-object-used-after-release
    callback(null, { updated: result.affectedRows });
  },

  // Correct: the query result is plain data; using it after release is fine.
  async listUsers(call, callback) {
    const conn = await promisePool.getConnection();
    let rows;
    try {
      [rows] = await conn.query('SELECT id, name FROM users ORDER BY id LIMIT ?', [Number(call.request.limit) || 50]);
    } finally {
      conn.release();
    }
    callback(null, { users: rows.map((r) => ({ id: r.id, name: r.name })) });
  },

  // Correct: the stream stops when the client cancels.
  watchUsers(call) {
    const timer = setInterval(() => call.write({ heartbeat: Date.now() }), 5_000);
    call.on('cancelled', () => clearInterval(timer));
  },
};

function start() {
  const server = new grpc.Server();
  server.addService(proto.users.Users.service, users);
  server.bindAsync('0.0.0.0:50052', grpc.ServerCredentials.createInsecure(), () => {});
  return server;
}

module.exports = { start, served: () => served };
