/**
 * The client library crunch scripts on the JVM link: the crunch view of a job and its tasks over
 * the gateway's {@code /arvados/v1/jobs} (task-like jobs), and a little Keep.
 *
 * <ul>
 *   <li>{@link org.arvados.tasksasjobs.client.Crunch}: {@code currentTask()}, {@code currentJob()}
 *       (marks the task impure), {@code createChildTask}, {@code listTasks}, {@code setOutput},
 *       {@code succeed}, {@code oneTaskPerInputFile}; built from
 *       {@link org.arvados.tasksasjobs.client.CrunchEnvironment} (JOB_UUID, TASK_UUID, ARVADOS_API_*).</li>
 *   <li>{@link org.arvados.tasksasjobs.client.ArvadosClient}: the transport (auth header, task header,
 *       JSON bodies, Arvados error bodies, retries), configured by
 *       {@link org.arvados.tasksasjobs.client.ApiConfig} and
 *       {@link org.arvados.tasksasjobs.client.RetryPolicy}.</li>
 *   <li>{@link org.arvados.tasksasjobs.client.Manifest} and
 *       {@link org.arvados.tasksasjobs.client.LocalKeep}: manifest text and a KEEP_LOCAL_STORE
 *       directory of blocks.</li>
 * </ul>
 *
 * <p>Depends on the JDK ({@code java.net.http}) and jackson-databind only.
 */
package org.arvados.tasksasjobs.client;
