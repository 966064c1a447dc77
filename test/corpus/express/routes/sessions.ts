// Session routes: wiring only, the handlers live in the controller.
import express from 'express';
import { login, loginStats, presence } from '../controllers/sessionController.js';

export const sessionsRouter = express.Router();

sessionsRouter.use(presence);
sessionsRouter.post('/login', login);
sessionsRouter.get('/stats', loginStats);
